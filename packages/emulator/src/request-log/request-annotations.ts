import type { ServerResponse } from 'node:http';
import type { LoggedUsage } from './request-log.ts';

/** What a handler knows about a request that the dispatcher cannot see. */
export interface RequestAnnotation {
  /** The model the request named. */
  model?: string;
  /** Whether the response is a stream. */
  stream?: boolean;
  /** The usage reported to the caller. */
  usage?: LoggedUsage;
  /** The injected fault type. */
  fault?: string;
  /** The scenario that produced the reply. */
  scenario?: string;
}

const annotations = new WeakMap<ServerResponse, RequestAnnotation>();

/**
 * Adds facts about a request for the request log; handlers call it with their `response` (for
 * example the messages handler with `{ model, stream, usage }`, the fault injector with
 * `{ fault }`). Later calls merge over earlier ones.
 */
export function annotateRequest(response: ServerResponse, annotation: RequestAnnotation): void {
  const current = annotations.get(response);
  annotations.set(response, current ? Object.assign(current, annotation) : { ...annotation });
}

/** The facts recorded for a response so far. */
export function readAnnotation(response: ServerResponse): RequestAnnotation | undefined {
  return annotations.get(response);
}
