// The runtime's errors for models it cannot run and calls it cannot take.
import { WasmqError } from './errors.js';
export { ModelError, type ModelErrorCode } from '../format/errors.js';

/** A call was made with arguments the model does not accept (feeds of the wrong name, type or length). */
export class InputError extends WasmqError {}
