export {
  CallLogger,
  createKeelLogger,
  type CallLoggerOptions,
  type KeelLoggerOptions,
} from './call-logger.ts';
export type { CallLogRecord } from './call-log-record.ts';
export { redactSecrets, scrubPii } from './scrub-pii.ts';
