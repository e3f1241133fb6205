// The .wasmq model format: read (verifying everything), verify, write.
export type * from './model.js';
export { DTYPE_SIZE, OP_KINDS } from './model.js';
export { ModelError, type ModelErrorCode } from './errors.js';
export { DEFAULT_LIMITS, MAX_RANK, type ModelLimits } from './limits.js';
export { readModel, type ReadOptions } from './read.js';
export { writeModel, BUFFER_ALIGNMENT } from './write.js';
export { verifyModel, FORMAT_VERSION, MIN_FORMAT_VERSION, type VerifyOptions } from './verify-model.js';
export { verifyStructure, FILE_IDENTIFIER } from './verify-structure.js';
export { OP_SIGNATURES, type OpSignature, type Operand, type OptionsTable } from './op-signatures.js';
export { modelMemory, tensorByteSize, type ModelMemory } from './memory.js';
export { elementCount, windowOutputSize, normalizeAxis } from './shape-math.js';
