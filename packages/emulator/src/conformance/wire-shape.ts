/**
 * Structural comparison of Messages API output with a real wire capture, value-independent: which
 * fields exist, which are `null`, which kind of value each holds, which blocks and deltas come in
 * which order. IDs, text, signatures and token counts never matter.
 */

/** One wire event: the SSE `event:` name (when framed) and its JSON payload. */
export interface WireEvent {
  /** The SSE event name; undefined for captures stored without framing (jsonl). */
  name?: string;
  /** The payload; `data.type` names the event. */
  data: Record<string, unknown> & { type: string };
}

/** Parses raw SSE bytes (`event:` / `data:` framing) into events. */
export function parseSse(text: string): WireEvent[] {
  return text
    .split(/\r?\n\r?\n/)
    .map((frame) => {
      let name: string | undefined;
      const data: string[] = [];
      for (const line of frame.split(/\r?\n/)) {
        if (line.startsWith('event:')) name = line.slice(6).trim();
        else if (line.startsWith('data:')) data.push(line.slice(5).trimStart());
      }
      return data.length === 0
        ? undefined
        : { ...(name ? { name } : {}), data: JSON.parse(data.join('\n')) as WireEvent['data'] };
    })
    .filter((event): event is WireEvent => event !== undefined);
}

/** Parses a capture stored one event per line as `{"Ok": event}` or `{"Err": event}`. */
export function parseWrappedJsonl(text: string): WireEvent[] {
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const wrapped = JSON.parse(line) as { Ok?: WireEvent['data']; Err?: WireEvent['data'] };
      return { data: (wrapped.Ok ?? wrapped.Err)! };
    });
}

/** Keys whose contents are the model's values (tool input), not part of the API's shape. */
const valueKeys = new Set(['input']);

type Kind = 'null' | 'string' | 'number' | 'boolean' | 'object' | 'array';

function kindOf(value: unknown): Kind {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value as Kind;
}

/**
 * Every field path of a value with the kind it holds, e.g. `usage.cache_creation: object`,
 * `stop_details: null`. Array elements share the path `name[]`.
 */
function fieldPaths(value: unknown, prefix = ''): Set<string> {
  const paths = new Set<string>();
  const visit = (node: unknown, path: string) => {
    if (path !== '') paths.add(`${path}: ${kindOf(node)}`);
    if (path.split('.').some((key) => valueKeys.has(key))) return;
    if (Array.isArray(node)) node.forEach((item) => visit(item, `${path}[]`));
    else if (node !== null && typeof node === 'object') {
      for (const [key, child] of Object.entries(node))
        visit(child, path === '' ? key : `${path}.${key}`);
    }
  };
  visit(value, prefix);
  return paths;
}

/** The kind of an event for comparison: its type, and the block or delta type it carries. */
function eventKey(event: WireEvent): string {
  const data = event.data as {
    type: string;
    content_block?: { type: string };
    delta?: { type?: string };
  };
  if (data.type === 'content_block_start')
    return `content_block_start(${data.content_block?.type})`;
  if (data.type === 'content_block_delta') return `content_block_delta(${data.delta?.type})`;
  return data.type;
}

/**
 * The event order as a pattern: pings left out, runs of the same delta collapsed to `name+`,
 * e.g. `message_start, content_block_start(text), content_block_delta(text_delta)+, ...`.
 */
export function eventPattern(events: readonly WireEvent[]): string[] {
  const pattern: string[] = [];
  for (const event of events) {
    if (event.data.type === 'ping') continue;
    const key = eventKey(event);
    const last = pattern[pattern.length - 1];
    if (key.startsWith('content_block_delta') && (last === key || last === `${key}+`)) {
      pattern[pattern.length - 1] = `${key}+`;
    } else pattern.push(key.startsWith('content_block_delta') ? `${key}+` : key);
  }
  return pattern;
}

/** Where the first ping comes: after how many non-ping events (undefined when none). */
function firstPingPosition(events: readonly WireEvent[]): number | undefined {
  const at = events.findIndex((event) => event.data.type === 'ping');
  return at === -1
    ? undefined
    : events.slice(0, at).filter((event) => event.data.type !== 'ping').length;
}

/** Field paths per event key, merged over every event of that key. */
function pathsByEvent(events: readonly WireEvent[]): Map<string, Set<string>> {
  const byKey = new Map<string, Set<string>>();
  for (const event of events) {
    const key = eventKey(event);
    const paths = byKey.get(key) ?? new Set<string>();
    for (const path of fieldPaths(event.data)) paths.add(path);
    byKey.set(key, paths);
  }
  return byKey;
}

/** Differences of field paths: `missing` ones the capture has, `extra` ones it has not. */
function diffPaths(label: string, actual: Set<string>, expected: Set<string>): string[] {
  const differences: string[] = [];
  for (const path of expected) if (!actual.has(path)) differences.push(`${label}: missing ${path}`);
  for (const path of actual) if (!expected.has(path)) differences.push(`${label}: extra ${path}`);
  return differences.sort();
}

/** Options for {@link compareStreams}. */
export interface CompareStreamsOptions {
  /** What the emulator streamed. */
  actual: readonly WireEvent[];
  /** The real capture. */
  expected: readonly WireEvent[];
  /** Event keys whose fields are not compared (e.g. an abridged capture's `message_start`). */
  skipFieldsOf?: readonly string[];
}

/**
 * Compares a stream with a capture: the event pattern, the first ping's position, the SSE event
 * name matching `data.type`, and per event kind the field paths and kinds. Returns the
 * differences, one line each; empty when the shapes agree.
 */
export function compareStreams(options: CompareStreamsOptions): string[] {
  const { actual, expected } = options;
  const differences: string[] = [];
  const actualPattern = eventPattern(actual).join(', ');
  const expectedPattern = eventPattern(expected).join(', ');
  if (actualPattern !== expectedPattern)
    differences.push(`event order: got [${actualPattern}], capture has [${expectedPattern}]`);
  const expectedPing = firstPingPosition(expected);
  const actualPing = firstPingPosition(actual);
  if (expectedPing !== undefined && actualPing !== expectedPing)
    differences.push(
      `first ping: after ${actualPing ?? 'no'} events, capture after ${expectedPing}`,
    );
  for (const event of actual) {
    if (event.name !== undefined && event.name !== event.data.type)
      differences.push(`framing: event name ${event.name} for data.type ${event.data.type}`);
  }
  const actualPaths = pathsByEvent(actual);
  const expectedPaths = pathsByEvent(expected);
  for (const [key, paths] of expectedPaths) {
    if (key === 'ping' || options.skipFieldsOf?.includes(key)) continue;
    const mine = actualPaths.get(key);
    if (mine) differences.push(...diffPaths(key, mine, paths));
  }
  return differences;
}

/** Compares a whole non-streaming message with a captured one, field paths and kinds. */
export function compareMessages(actual: unknown, expected: unknown): string[] {
  return diffPaths('message', fieldPaths(actual), fieldPaths(expected));
}
