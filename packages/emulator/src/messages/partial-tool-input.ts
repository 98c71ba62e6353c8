/**
 * A tool call cut short (by `max_tokens`, the context window or a stop sequence) reaches the
 * client as the JSON text the model had written so far: in a stream the `input_json_delta`s stop
 * mid-JSON, and the non-streaming body carries that text parsed as far as it goes. "As far as it
 * goes" is taken to be what the official SDK's stream accumulator makes of the same text (its
 * vendored partial-json-parser), so `stream.finalMessage()` equals the plain response: members
 * whose value has begun (objects and arrays) or is whole (strings, literals, and numbers with a
 * character after them, since more digits could follow) are kept; a key without its value and a
 * string without its closing quote are dropped.
 */

/** `value` as the SDK parses the first `length` characters of `JSON.stringify(value)`. */
export function partialToolInput(
  value: Record<string, unknown>,
  length: number,
): Record<string, unknown> {
  const cut = partialValue(JSON.parse(JSON.stringify(value)) as unknown, length, false);
  return (cut?.value as Record<string, unknown> | undefined) ?? {};
}

/**
 * The part of `value` that `room` characters of its JSON text carry, or undefined when nothing of
 * it would be parsed. `followed` says whether another character comes after the whole value.
 */
function partialValue(
  value: unknown,
  room: number,
  followed: boolean,
): { value: unknown } | undefined {
  if (Array.isArray(value)) {
    if (room < 1) return undefined;
    const items: unknown[] = [];
    let used = 1;
    for (const [index, item] of value.entries()) {
      if (index > 0) used += 1;
      const left = room - used;
      const size = JSON.stringify(item).length;
      const part = partialValue(item, left, left > size);
      if (part) items.push(part.value);
      if (left < size) break;
      used += size;
    }
    return { value: items };
  }
  if (typeof value === 'object' && value !== null) {
    if (room < 1) return undefined;
    const members: Record<string, unknown> = {};
    let used = 1;
    for (const [index, [key, member]] of Object.entries(value).entries()) {
      if (index > 0) used += 1;
      const left = room - used - JSON.stringify(key).length - 1;
      const size = JSON.stringify(member).length;
      const part = partialValue(member, left, left > size);
      if (part) members[key] = part.value;
      if (left < size) break;
      used += JSON.stringify(key).length + 1 + size;
    }
    return { value: members };
  }
  if (room < JSON.stringify(value).length) return undefined;
  if (typeof value === 'number' && !followed) return undefined;
  return { value };
}
