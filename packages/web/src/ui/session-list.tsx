import { useState, type SubmitEvent } from 'react';
import type { SessionSummary } from '../api/api-types.ts';
import { PencilIcon, TrashIcon } from './icons.tsx';

/** The person's conversations: open (resume), create, rename, delete. */
export function SessionList({
  sessions,
  activeId,
  onOpen,
  onCreate,
  onRename,
  onDelete,
}: {
  sessions: SessionSummary[];
  activeId: string | undefined;
  onOpen: (id: string) => void;
  onCreate: () => void;
  onRename: (id: string, title: string) => Promise<void>;
  onDelete: (id: string) => Promise<void>;
}) {
  const [editing, setEditing] = useState<string | undefined>();
  const [title, setTitle] = useState('');

  const submitRename = async (event: SubmitEvent, id: string) => {
    event.preventDefault();
    const trimmed = title.trim();
    if (trimmed) await onRename(id, trimmed);
    setEditing(undefined);
  };

  return (
    <nav className="sessions" aria-label="Conversations">
      <button type="button" className="primary new-session" onClick={onCreate}>
        + New conversation
      </button>
      {sessions.length === 0 ? <p className="muted">No conversations yet.</p> : null}
      <ul>
        {sessions.map((session) => (
          <li key={session.id} className={session.id === activeId ? 'active' : undefined}>
            {editing === session.id ? (
              <form onSubmit={(event) => void submitRename(event, session.id)} className="rename">
                <label htmlFor={`rename-${session.id}`} className="visually-hidden">
                  New title
                </label>
                <input
                  id={`rename-${session.id}`}
                  value={title}
                  autoFocus
                  maxLength={200}
                  onChange={(event) => setTitle(event.target.value)}
                  onKeyDown={(event) => {
                    if (event.key === 'Escape') setEditing(undefined);
                  }}
                />
                <button type="submit">Save</button>
              </form>
            ) : (
              <>
                <button
                  type="button"
                  className="session-open"
                  aria-current={session.id === activeId ? 'page' : undefined}
                  onClick={() => onOpen(session.id)}
                  title={session.title}
                >
                  {session.title}
                </button>
                <span className="session-actions">
                  <button
                    type="button"
                    className="icon-button"
                    aria-label={`Rename ${session.title}`}
                    onClick={() => {
                      setTitle(session.title);
                      setEditing(session.id);
                    }}
                  >
                    <PencilIcon />
                  </button>
                  <button
                    type="button"
                    className="icon-button"
                    aria-label={`Delete ${session.title}`}
                    onClick={() => {
                      if (window.confirm(`Delete “${session.title}”? This cannot be undone.`)) {
                        void onDelete(session.id);
                      }
                    }}
                  >
                    <TrashIcon />
                  </button>
                </span>
              </>
            )}
          </li>
        ))}
      </ul>
    </nav>
  );
}
