/** One Server-Sent Event as dispatched by the parser. */
export interface SseMessage {
  /** The `event:` field; `message` when the event had none. */
  event: string;
  /** The `data:` lines joined with `\n`. */
  data: string;
  /** The last `id:` seen, if any. */
  id: string | undefined;
}

/**
 * An incremental Server-Sent Events parser, per the HTML standard's event-stream rules: lines end
 * in LF, CRLF or CR (even when a CRLF is split across chunks), `:` starts a comment, one space
 * after the colon is dropped, several `data:` lines join with LF, and a blank line dispatches.
 * Feed it decoded text as it arrives; it returns the events each chunk completed.
 */
export class SseParser {
  #buffer = '';
  #event = '';
  #data: string[] = [];
  #id: string | undefined;
  /** A chunk ended in CR: an LF at the start of the next one belongs to the same line break. */
  #skipLeadingLineFeed = false;

  /** Parses a chunk; returns the events it completed, in order. */
  push(chunk: string): SseMessage[] {
    let text = chunk;
    if (this.#skipLeadingLineFeed && text.startsWith('\n')) text = text.slice(1);
    this.#skipLeadingLineFeed = false;
    this.#buffer += text;
    const events: SseMessage[] = [];
    let start = 0;
    for (let index = 0; index < this.#buffer.length; index++) {
      const char = this.#buffer[index];
      if (char !== '\n' && char !== '\r') continue;
      const line = this.#buffer.slice(start, index);
      if (char === '\r') {
        if (index + 1 === this.#buffer.length) this.#skipLeadingLineFeed = true;
        else if (this.#buffer[index + 1] === '\n') index++;
      }
      start = index + 1;
      const event = this.#line(line);
      if (event) events.push(event);
    }
    this.#buffer = this.#buffer.slice(start);
    return events;
  }

  #line(line: string): SseMessage | undefined {
    if (line === '') return this.#dispatch();
    if (line.startsWith(':')) return undefined;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'event') this.#event = value;
    else if (field === 'data') this.#data.push(value);
    else if (field === 'id' && !value.includes('\u0000')) this.#id = value;
    return undefined;
  }

  #dispatch(): SseMessage | undefined {
    const data = this.#data;
    const event = this.#event || 'message';
    this.#event = '';
    this.#data = [];
    if (data.length === 0) return undefined;
    return { event, data: data.join('\n'), id: this.#id };
  }
}
