import { useCallback, useEffect, useState } from 'react';
import type { Account, ServerStatus, SessionSummary } from '../api/api-types.ts';
import type { TurnError } from '../chat/chat-turn.ts';
import { useApi } from './api-context.ts';
import { ChatView } from './chat-view.tsx';
import { ErrorNotice } from './error-notice.tsx';
import { LoginPage } from './login-page.tsx';
import { toTurnError } from './to-turn-error.ts';
import { ModeBanner } from './mode-banner.tsx';
import { SessionList } from './session-list.tsx';
import { UsagePage } from './usage-page.tsx';

/** Where the page is: `#/usage`, `#/chat/<session id>` or `#/chat` (a new conversation). */
type Route = { page: 'usage' } | { page: 'chat'; sessionId: string | undefined };

function readRoute(): Route {
  const hash = window.location.hash.replace(/^#\/?/, '');
  if (hash === 'usage') return { page: 'usage' };
  const match = /^chat\/(.+)$/.exec(hash);
  return { page: 'chat', sessionId: match ? decodeURIComponent(match[1]!) : undefined };
}

function go(route: Route) {
  window.location.hash =
    route.page === 'usage'
      ? '#/usage'
      : route.sessionId
        ? `#/chat/${encodeURIComponent(route.sessionId)}`
        : '#/chat';
}

const defaultMaxImageBytes = 5_000_000;

/** The assistant's page: sign-in, then conversations, chat and usage. */
export function App() {
  const api = useApi();
  const [status, setStatus] = useState<ServerStatus | undefined>();
  const [account, setAccount] = useState<Account | undefined | null>(null);
  const [sessions, setSessions] = useState<SessionSummary[]>([]);
  const [route, setRoute] = useState<Route>(readRoute);
  const [error, setError] = useState<TurnError | undefined>();

  useEffect(() => {
    const onHash = () => setRoute(readRoute());
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);

  useEffect(() => {
    api.status().then(setStatus, (caught: unknown) => setError(toTurnError(caught)));
    api.me().then(setAccount, (caught: unknown) => {
      setAccount(undefined);
      setError(toTurnError(caught));
    });
  }, [api]);

  useEffect(
    () =>
      api.onSignedOut(() => {
        setSessions([]);
        setAccount(undefined);
      }),
    [api],
  );

  const refreshSessions = useCallback(() => {
    api.listSessions().then(setSessions, (caught: unknown) => setError(toTurnError(caught)));
  }, [api]);

  useEffect(() => {
    if (account) refreshSessions();
  }, [account, refreshSessions]);

  useEffect(() => {
    if (status) document.title = status.name;
  }, [status]);

  const createSession = async () => {
    const session = await api.createSession();
    setSessions((current) => [session, ...current]);
    go({ page: 'chat', sessionId: session.id });
    return session.id;
  };
  const onError = (caught: unknown) => setError(toTurnError(caught));

  if (account === null) {
    return (
      <p className="loading" role="status">
        Loading…
      </p>
    );
  }
  if (!account) {
    return (
      <>
        <ModeBanner status={status} />
        {error && error.code !== 'unauthenticated' ? <ErrorNotice error={error} /> : null}
        <LoginPage
          status={status}
          onLoggedIn={(signedIn) => {
            setError(undefined);
            setAccount(signedIn);
          }}
        />
      </>
    );
  }

  const activeId = route.page === 'chat' ? route.sessionId : undefined;
  return (
    <div className="shell">
      <ModeBanner status={status} />
      <header className="topbar">
        <span className="brand">{status?.name ?? 'Keel assistant'}</span>
        <nav aria-label="Pages" className="pages">
          <a href="#/chat" aria-current={route.page === 'chat' ? 'page' : undefined}>
            Chat
          </a>
          <a href="#/usage" aria-current={route.page === 'usage' ? 'page' : undefined}>
            Usage
          </a>
        </nav>
        <span className="account">
          {account.displayName}
          <button
            type="button"
            className="link-button"
            onClick={() => {
              void api.logout().finally(() => {
                setSessions([]);
                setAccount(undefined);
              });
            }}
          >
            Sign out
          </button>
        </span>
      </header>
      {error && error.code !== 'unauthenticated' ? (
        <ErrorNotice error={error} onDismiss={() => setError(undefined)} />
      ) : null}
      <div className="body">
        <SessionList
          sessions={sessions}
          activeId={activeId}
          onOpen={(id) => go({ page: 'chat', sessionId: id })}
          onCreate={() => {
            void createSession().catch(onError);
          }}
          onRename={async (id, title) => {
            try {
              const renamed = await api.renameSession(id, title);
              setSessions((current) =>
                current.map((session) => (session.id === id ? renamed : session)),
              );
            } catch (caught) {
              onError(caught);
            }
          }}
          onDelete={async (id) => {
            try {
              await api.deleteSession(id);
              setSessions((current) => current.filter((session) => session.id !== id));
              if (activeId === id) go({ page: 'chat', sessionId: undefined });
            } catch (caught) {
              onError(caught);
            }
          }}
        />
        {route.page === 'usage' ? (
          <UsagePage account={account} />
        ) : (
          <ChatView
            sessionId={route.sessionId}
            maxImageBytes={status?.images?.maxBytes ?? defaultMaxImageBytes}
            createSession={createSession}
            onTurnFinished={refreshSessions}
          />
        )}
      </div>
    </div>
  );
}
