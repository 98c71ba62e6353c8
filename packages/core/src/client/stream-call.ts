import type { MessageStreamEvent } from '@anthropic-ai/sdk/resources/messages/messages';
import { runWithResilience, type ResilientOutcome } from '../resilience/run-with-resilience.ts';
import { StreamEndedEarlyError } from '../resilience/stream-ended-early-error.ts';
import { CallAbortedError } from './call-aborted-error.ts';
import type { CallOptions } from './call-options.ts';
import type { CallPipeline } from './call-pipeline.ts';
import { convertStreamEvent } from './convert-stream-event.ts';
import type { KeelRequest } from './keel-request.ts';
import type { StreamProgress } from './map-failure.ts';
import { openStream, streamSnapshot, type OpenedStream } from './open-stream.ts';
import type { KeelStreamEvent } from './stream-events.ts';
import { applyTruncationPolicy } from './truncation-policy.ts';

function progressOf(outcome: ResilientOutcome<OpenedStream>): StreamProgress {
  return {
    model: outcome.model,
    snapshot: streamSnapshot(outcome.value),
    requestId: outcome.value.requestId,
    attempts: outcome.attempts.length,
  };
}

/**
 * A streaming call, driven through the pipeline's stages. An overload or dropped connection
 * before any content reached the caller is retried (and may fall back) invisibly; after that
 * the iteration throws `StreamInterruptedError`. A consumer that leaves early stops the HTTP
 * stream, and what was spent is recorded as an aborted call.
 */
export async function* streamCall(
  pipeline: CallPipeline,
  request: KeelRequest,
  options: CallOptions,
  controller: AbortController,
): AsyncGenerator<KeelStreamEvent, void, undefined> {
  const { anthropic, limiter, defaults } = pipeline.parts;
  const call = pipeline.prepare(request, options, controller.signal, true);
  let outcome: ResilientOutcome<OpenedStream> | undefined;
  let settled = false;
  let firstContentAt: number | undefined;
  const streamFailure = (started: ResilientOutcome<OpenedStream>) => ({
    progress: progressOf(started),
    retries: started.retries,
    firstContentAt,
  });
  try {
    await pipeline.admit(call);
    outcome = await runWithResilience<OpenedStream>(
      pipeline.attempts(call, (model) =>
        openStream({
          anthropic,
          limiter,
          prepared: call.prepared,
          model,
          body: pipeline.body(call, model, undefined),
          idleTimeoutMs: defaults.idleTimeoutMs,
        }),
      ),
    );
    const opened = outcome.value;
    const model = outcome.model;
    yield { type: 'message-start', model, requestId: opened.requestId };
    const pending = opened.buffered;
    for (;;) {
      let event: MessageStreamEvent;
      if (pending.length > 0) {
        event = pending.shift()!;
      } else {
        if (opened.sawStop) break;
        const next = await opened.iterator.next();
        opened.idle.touch();
        if (next.done) {
          // The SDK's iterator ends quietly on errors it could not hand to a waiting reader.
          await opened.messageStream.done();
          break;
        }
        event = next.value;
      }
      if (event.type === 'message_stop') {
        opened.sawStop = true;
        continue;
      }
      const converted = convertStreamEvent(event, opened.messageStream);
      if (converted) {
        firstContentAt ??= performance.now();
        yield converted;
        // The wait for the caller is not the stream's silence.
        opened.idle.touch();
      }
    }
    opened.idle.stop();
    if (!opened.sawStop) throw new StreamEndedEarlyError(model);
    const message = await opened.messageStream.finalMessage();
    settled = true;
    outcome.permit.release();
    const result = await pipeline.succeed(call, outcome, {
      message,
      requestId: opened.requestId,
      rateLimit: opened.rateLimit,
      firstContentAt,
    });
    yield { type: 'finish', result: applyTruncationPolicy(call.prepared, result) };
  } catch (caught) {
    if (settled) throw caught;
    settled = true;
    outcome?.value.idle.stop();
    outcome?.permit.release();
    // A stream stopped for silence failed by timeout, not by the caller's abort.
    const error = outcome ? outcome.value.idle.error(caught) : caught;
    throw await pipeline.fail(call, error, outcome && streamFailure(outcome));
  } finally {
    if (!settled && outcome) {
      // The consumer left the loop early: stop the HTTP stream and record what was spent.
      settled = true;
      outcome.value.idle.stop();
      outcome.permit.release();
      outcome.value.messageStream.abort();
      const abandoned = new CallAbortedError(
        { model: outcome.model, partialText: '', usage: undefined },
        undefined,
        undefined,
      );
      await pipeline.fail(call, abandoned, streamFailure(outcome));
    }
  }
}
