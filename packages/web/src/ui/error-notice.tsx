import type { TurnError } from '../chat/chat-turn.ts';
import { describeError } from '../chat/describe-error.ts';

/** An error, said the way a person understands it. */
export function ErrorNotice({ error, onDismiss }: { error: TurnError; onDismiss?: () => void }) {
  const description = describeError(error);
  return (
    <div className={`notice notice-${description.kind}`} role="alert" data-error-code={error.code}>
      <strong className="notice-title">{description.title}</strong>
      <span className="notice-body">{description.body}</span>
      {onDismiss ? (
        <button type="button" className="link-button" onClick={onDismiss} aria-label="Dismiss">
          ×
        </button>
      ) : null}
    </div>
  );
}
