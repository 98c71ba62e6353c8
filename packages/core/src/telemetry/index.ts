export {
  CallTelemetry,
  type CallSpan,
  type SpanRequest,
  type TelemetryOptions,
} from './call-telemetry.ts';
