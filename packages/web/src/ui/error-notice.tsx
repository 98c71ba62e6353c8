import type { TurnError } from '../chat/chat-turn.ts';
import { describeError, type ErrorDescription } from '../chat/describe-error.ts';

/** An error, said the way a person understands it (`description`: words a page chose itself). */
export function ErrorNotice({
  error,
  description = describeError(error),
  onDismiss,
}: {
  error: TurnError;
  description?: ErrorDescription | undefined;
  onDismiss?: () => void;
}) {
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
