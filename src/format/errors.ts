import { WasmqError } from '../runtime/errors.js';

/**
 * Why a model was rejected. Structural codes come from walking the FlatBuffer, the others from the semantic
 * checks that every model (read from a file or built by an importer) must pass.
 */
export type ModelErrorCode =
  // structure of the file
  | 'TRUNCATED' | 'BAD_MAGIC' | 'BAD_OFFSET' | 'BAD_VTABLE' | 'BAD_STRING' | 'MISSING_FIELD' | 'BAD_ALIGNMENT'
  | 'UNSUPPORTED_VERSION' | 'TOO_LARGE'
  // meaning of the model
  | 'BAD_TYPE' | 'BAD_TENSOR_INDEX' | 'BAD_BUFFER_INDEX' | 'BAD_SHAPE' | 'BUFFER_SIZE' | 'BAD_QUANT' | 'BAD_OP'
  | 'BAD_OPTIONS' | 'BAD_GRAPH' | 'BAD_METADATA'
  // what the runtime cannot run (src/runtime, src/ops)
  | 'UNSUPPORTED_OP' | 'UNSUPPORTED' | 'MEMORY_BUDGET';

/** A model file or in-memory model that wasmq will not run; `message` names the tensor, op or field. */
export class ModelError extends WasmqError {
  declare readonly code: ModelErrorCode;
  constructor(code: ModelErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
  }
}
