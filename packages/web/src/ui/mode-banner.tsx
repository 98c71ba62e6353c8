import type { ServerStatus } from '../api/api-types.ts';

/** Says plainly when replies are emulated rather than Claude's. */
export function ModeBanner({ status }: { status: ServerStatus | undefined }) {
  if (status?.mode !== 'emulator') return null;
  return (
    <div className="mode-banner" role="status" data-testid="mode-banner">
      <strong>Emulated replies — no ANTHROPIC_API_KEY set.</strong>{' '}
      <span>
        Answers come from the built-in Claude API emulator, not from Claude. Set ANTHROPIC_API_KEY
        and restart the server to talk to Claude.
      </span>
    </div>
  );
}
