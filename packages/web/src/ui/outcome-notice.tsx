import type { OutcomeNotice as Notice, TurnOutcome } from '@keel/protocol';

/**
 * Says on the answer that it did not simply finish (cut off, declined, stopped at a cap) and
 * what to do next, in words: the colour only repeats what the text says.
 */
export function OutcomeNotice({ outcome, notice }: { outcome: TurnOutcome; notice: Notice }) {
  return (
    <div
      className={`notice notice-outcome notice-outcome-${outcome}`}
      role="status"
      data-testid="outcome-notice"
      data-outcome={outcome}
    >
      <strong className="notice-title">{notice.title}</strong>
      <span className="notice-body">{notice.body}</span>
    </div>
  );
}
