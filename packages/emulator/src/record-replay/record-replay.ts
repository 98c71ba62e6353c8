import type { IncomingMessage, ServerResponse } from 'node:http';
import { KeelError } from '@keel/errors';
import type { Clock } from '../clock.ts';
import type { RecordReplayOptions } from '../emulator-options.ts';
import { ApiError } from '../http/api-error.ts';
import { readBody } from '../http/read-body.ts';
import {
  bodyValue,
  cassetteFileName,
  cassetteKey,
  normalisedPath,
  readCassette,
  writeCassette,
  type Cassette,
} from './cassette.ts';
import {
  keptResponseHeaders,
  storedRequestHeadersOf,
  upstreamRequestHeaders,
} from './cassette-headers.ts';

/** Raised at start-up for an unusable record/replay configuration. */
export class RecordReplayConfigError extends KeelError<
  { mode: string; field: string },
  'record_replay_config_invalid'
> {
  constructor(mode: string, field: string, message: string) {
    super('record_replay_config_invalid', message, { mode, field });
  }
}

/** Largest body relayed: the Batch API's 256 MB. */
const maxRelayedBodyBytes = 256 * 1024 * 1024;

export interface RecordReplayHandlerOptions extends RecordReplayOptions {
  /** Clock for `recordedAt`. */
  clock: Clock;
  /** The fetch used to reach the upstream; default the global one. */
  fetch?: typeof fetch;
}

/** What the dispatcher hands over for one `/v1/*` request. */
export interface RecordReplayContext {
  /** Path and query as the caller sent them. */
  pathWithQuery: string;
  /** Headers every emulator response carries (emulator marker, request id). */
  headers: Record<string, string>;
}

/**
 * Record mode relays `/v1/*` requests to the upstream with the caller's own credentials, streams
 * the answer straight back (SSE included) and stores the exchange as a cassette file, keyed by
 * a hash of method, path and canonical JSON body. Replay mode serves those files offline.
 * API keys are forwarded but never written anywhere.
 */
export class RecordReplay {
  readonly mode: RecordReplayOptions['mode'];
  readonly #options: RecordReplayHandlerOptions;
  readonly #fetch: typeof fetch;
  readonly #upstream: string;

  constructor(options: RecordReplayHandlerOptions) {
    if (options.mode !== 'record' && options.mode !== 'replay') {
      throw new RecordReplayConfigError(
        String(options.mode),
        'mode',
        'recordReplay.mode must be "record" or "replay"',
      );
    }
    if (!options.cassetteDir) {
      throw new RecordReplayConfigError(
        options.mode,
        'cassetteDir',
        'recordReplay.cassetteDir is required',
      );
    }
    if (options.mode === 'record') {
      if (!options.upstream || !URL.canParse(options.upstream)) {
        throw new RecordReplayConfigError(
          options.mode,
          'upstream',
          `recordReplay.upstream must be an absolute URL in record mode (for example https://api.anthropic.com), got ${JSON.stringify(options.upstream)}`,
        );
      }
    }
    this.mode = options.mode;
    this.#options = options;
    this.#fetch = options.fetch ?? fetch;
    this.#upstream = (options.upstream ?? '').replace(/\/+$/, '');
  }

  /** Answers one request from the upstream (record) or from a cassette (replay). */
  async handle(
    request: IncomingMessage,
    response: ServerResponse,
    context: RecordReplayContext,
  ): Promise<void> {
    const method = request.method ?? 'GET';
    const bodyText = await readBody(request, maxRelayedBodyBytes);
    const key = cassetteKey({ method, pathWithQuery: context.pathWithQuery, bodyText });
    const fileName = cassetteFileName(method, context.pathWithQuery, key);
    if (this.mode === 'replay') {
      const cassette = await readCassette(this.#options.cassetteDir, fileName);
      if (!cassette) {
        throw new ApiError(
          'not_found_error',
          `cassette not found for ${method} ${normalisedPath(context.pathWithQuery)} (hash ${key.slice(0, 16)}, file ${fileName} in ${this.#options.cassetteDir}); record it first with mode=record`,
        );
      }
      this.#replay(response, cassette, context);
      return;
    }
    await this.#record(request, response, context, { method, bodyText, key, fileName });
  }

  #replay(response: ServerResponse, cassette: Cassette, context: RecordReplayContext): void {
    const body = Buffer.from(cassette.response.body, 'utf8');
    response.writeHead(cassette.response.status, {
      ...context.headers,
      ...cassette.response.headers,
      'content-length': body.length,
      'x-keel-cassette': cassette.key.slice(0, 16),
    });
    response.end(body);
  }

  async #record(
    request: IncomingMessage,
    response: ServerResponse,
    context: RecordReplayContext,
    exchange: { method: string; bodyText: string; key: string; fileName: string },
  ): Promise<void> {
    const abort = new AbortController();
    const onClose = () => {
      if (!response.writableFinished) abort.abort();
    };
    response.once('close', onClose);
    let upstream: Response;
    try {
      upstream = await this.#fetch(`${this.#upstream}${context.pathWithQuery}`, {
        method: exchange.method,
        headers: upstreamRequestHeaders(request.headers),
        ...(exchange.bodyText === '' ? {} : { body: exchange.bodyText }),
        signal: abort.signal,
      });
    } catch (error) {
      response.off('close', onClose);
      throw new ApiError(
        'api_error',
        `record mode: the upstream ${this.#upstream} could not be reached (${(error as Error).message})`,
        { status: 502 },
      );
    }
    const headers = keptResponseHeaders(upstream.headers);
    response.writeHead(upstream.status, {
      ...context.headers,
      ...headers,
      'x-keel-cassette': exchange.key.slice(0, 16),
    });
    const chunks: Buffer[] = [];
    try {
      const reader = upstream.body?.getReader();
      for (;;) {
        const read = await reader?.read();
        if (!read || read.done) break;
        const buffer = Buffer.from(read.value);
        chunks.push(buffer);
        // Relay as it arrives: a recorded stream reaches the caller token by token.
        response.write(buffer);
      }
    } catch {
      // The upstream or the caller went away mid-body: keep no half-recorded cassette.
      response.destroy();
      return;
    } finally {
      response.off('close', onClose);
    }
    // Stored before the response ends, so a caller that got its answer can replay it at once.
    try {
      await writeCassette(this.#options.cassetteDir, exchange.fileName, {
        version: 1,
        key: exchange.key,
        recordedAt: new Date(this.#options.clock.now()).toISOString(),
        request: {
          method: exchange.method,
          path: normalisedPath(context.pathWithQuery),
          headers: storedRequestHeadersOf(request.headers),
          body: bodyValue(exchange.bodyText),
        },
        response: {
          status: upstream.status,
          headers,
          body: Buffer.concat(chunks).toString('utf8'),
        },
      });
    } finally {
      response.end();
    }
  }
}
