export {
  generateObject,
  validateAnswer,
  type GenerateObjectOptions,
  type GenerateObjectResult,
} from './generate-object.ts';
export {
  StructuredOutputError,
  type StructuredOutputErrorDetails,
  type StructuredOutputFailure,
} from './structured-output-error.ts';
export {
  closeObjects,
  toSupportedSchema,
  type JsonSchema,
  type SupportedSchema,
} from './supported-schema.ts';
export {
  repairOutput,
  type RepairOutputOptions,
  type RepairOutputResult,
} from './repair-output.ts';
