export { KeelError, ValidationError } from './keel-error.ts';
export { isKeelErrorCode, keelErrorCodes, type KeelErrorCode } from './keel-error-code.ts';
export {
  claudeFailureKinds,
  type ClaudeErrorCode,
  type ClaudeFailureKind,
} from './claude-failure-kind.ts';
export { turnErrorCodes, type TurnErrorCode } from './turn-error-code.ts';
