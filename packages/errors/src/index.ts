export { KeelError, ValidationError } from './keel-error.ts';
