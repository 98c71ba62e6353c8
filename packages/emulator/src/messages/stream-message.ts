import type { ServerResponse } from 'node:http';
import type { ActiveFault } from '../faults/fault-injector.ts';
import type { LatencyModel } from '../latency/latency-model.ts';
import { sleep } from '../latency/sleep.ts';
import type { MessageResponse } from './response-types.ts';
import { formatEvent, streamEvents, type StreamedBlock } from './stream-events.ts';

/** What the stream writer needs besides the message. */
export interface StreamMessageOptions {
  /** Where to write. */
  response: ServerResponse;
  /** The finished message to stream. */
  message: MessageResponse;
  /** Per block, its token cost and generated tool JSON (from generation; estimated when absent). */
  streamed?: StreamedBlock[];
  /** Headers every response to this request carries. */
  headers: Record<string, string>;
  /** Time to first token and output speed. */
  latency: LatencyModel;
  /** A `slow_first_token`, `stream_error` or `stream_cut` fault to act out. */
  fault?: ActiveFault;
  /** Interval between extra `ping` events, ms; none when undefined. */
  pingIntervalMs?: number;
}

/** How a stream ended. */
export interface StreamOutcome {
  /** Output tokens actually delivered (what the rate limiter charges). */
  outputTokens: number;
  /** `complete`, `error` (an error event was sent), `cut` (ended early), or `disconnected`. */
  ending: 'complete' | 'error' | 'cut' | 'disconnected';
}

/** The error event of a failed stream, as the real API sends it inside an HTTP 200. */
const overloadedEvent = {
  type: 'error',
  error: { type: 'overloaded_error', message: 'Overloaded' },
};

/**
 * Streams a message as server-sent events, paced by the latency model (the whole response waits
 * for the first token; each delta waits for its tokens). Acts out stream faults after the given
 * number of output tokens. A client that hangs up stops the writer and clears its timers.
 */
export async function streamMessage(options: StreamMessageOptions): Promise<StreamOutcome> {
  const { response, message, headers, latency, fault } = options;
  const abort = new AbortController();
  const onClose = () => abort.abort();
  response.once('close', onClose);
  let pinger: NodeJS.Timeout | undefined;
  let outputTokens = 0;

  const write = async (chunk: string): Promise<boolean> => {
    if (abort.signal.aborted || response.destroyed) return false;
    if (response.write(chunk)) return true;
    // Respect backpressure, but give up when the client goes away meanwhile.
    await new Promise<void>((resolve) => {
      const done = () => {
        response.off('drain', done);
        abort.signal.removeEventListener('abort', done);
        resolve();
      };
      response.once('drain', done);
      abort.signal.addEventListener('abort', done, { once: true });
    });
    return !abort.signal.aborted;
  };

  try {
    const firstTokenDelay =
      latency.timeToFirstTokenMs + (fault?.type === 'slow_first_token' ? fault.delayMs : 0);
    if (!(await sleep(firstTokenDelay, abort.signal)))
      return { outputTokens, ending: 'disconnected' };
    response.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
      ...headers,
    });
    if (options.pingIntervalMs && options.pingIntervalMs > 0) {
      pinger = setInterval(() => {
        if (!response.destroyed) response.write(formatEvent('ping', { type: 'ping' }));
      }, options.pingIntervalMs);
      pinger.unref();
    }
    const breakAfter =
      fault?.type === 'stream_error' || fault?.type === 'stream_cut' ? fault.afterTokens : Infinity;
    for (const event of streamEvents(message, options.streamed)) {
      if (event.tokens > 0 || event.event === 'message_delta') {
        if (outputTokens >= breakAfter) {
          if (fault?.type === 'stream_error') {
            await write(formatEvent('error', overloadedEvent));
            return { outputTokens, ending: 'error' };
          }
          return { outputTokens, ending: 'cut' };
        }
      }
      if (event.tokens > 0 && !(await sleep(latency.outputDelayMs(event.tokens), abort.signal))) {
        return { outputTokens, ending: 'disconnected' };
      }
      if (!(await write(formatEvent(event.event, event.data)))) {
        return { outputTokens, ending: 'disconnected' };
      }
      outputTokens += event.tokens;
    }
    return { outputTokens: message.usage.output_tokens, ending: 'complete' };
  } finally {
    if (pinger) clearInterval(pinger);
    response.off('close', onClose);
    if (!response.destroyed) response.end();
  }
}
