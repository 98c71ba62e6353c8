export {
  processWarningListener,
  WarnOnce,
  type KeelWarning,
  type KeelWarningCode,
  type WarningListener,
} from './keel-warning.ts';
