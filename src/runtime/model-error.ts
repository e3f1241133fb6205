// The runtime's error for a model it cannot run (bad graph, unsupported op or parameters, over budget).
// One class for the whole package: the format layer's verifier throws the same type.
import { WasmqError } from './errors.js';

/** The model is malformed or asks for something this runtime cannot do; the message names the tensor/op. */
export class ModelError extends WasmqError {}

/** A call was made with arguments the model does not accept (feeds of the wrong name, type or length). */
export class InputError extends WasmqError {}
