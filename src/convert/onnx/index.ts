// The ONNX side of the converter: read (importOnnx), write (OnnxBuilder). Browser-safe; Node's external-data
// reader lives in external-node.ts.
export { importOnnx, importModelProto, MIN_OPSET, MAX_OPSET, type ImportOptions } from './import.js';
export { OnnxBuilder, attr, tensorProto, type TensorInit, type AttrValue } from './builder.js';
export { decodeModelProto, encodeModelProto, type ModelProto } from './proto.js';
export { SUPPORTED_OPS } from './nodes.js';
export type { ExternalFileReader } from './external.js';
export { importQdqOnnx, importQdqModelProto, isQdqModel, type QdqImport } from './qdq.js';
export { importQuantizedOnnx, importQuantizedModelProto, hasQuantizedOps, QUANTIZED_OPS, type QuantizedImportOptions } from './quantized-ops.js';
