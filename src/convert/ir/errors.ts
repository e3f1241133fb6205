// Typed errors of the ONNX importer, the graph IR and its passes: one class, stable codes, messages that name
// the node, tensor or field that failed.
import { WasmqError } from '../../runtime/errors.js';

export type ConvertErrorCode =
  | 'MALFORMED_ONNX' // bytes are not a ModelProto, or a field is out of range
  | 'UNSUPPORTED_OPS' // one error listing every node whose op type (or attribute form) is not supported
  | 'UNSUPPORTED_ATTRIBUTE' // a supported op used with a mode wasmq does not implement (e.g. Pad reflect)
  | 'MISSING_INITIALIZER' // a constant input (weights, shape, pads) is not an initializer or Constant
  | 'DANGLING_EDGE' // a node input or graph output that nothing produces
  | 'NON_FLOAT_INPUT' // a graph input that is not float32
  | 'DYNAMIC_SHAPE' // a symbolic or unknown dimension the caller must fix (inputShapes option)
  | 'SHAPE_MISMATCH' // shapes that cannot be combined by the op
  | 'EXTERNAL_DATA' // external tensor data missing, out of bounds, or a path that escapes the model folder
  | 'NOT_CONSTANT' // a shape-only op (Shape, Gather, ...) whose inputs could not be folded to constants
  | 'LAYOUT' // a graph the NCHW -> NHWC pass cannot express
  | 'EXECUTE' // the reference executor was given inputs that do not match the graph
  | 'NO_RANGE' // quantization: an activation has no calibrated range
  | 'BAD_FLOAT_MODEL' // quantization: the float model breaks an invariant (e.g. weights that are not float32 constants)
  | 'SHARED_WEIGHTS' // quantization: one weight tensor feeds two ops
  | 'BAD_QUANT' // quantization parameters the importer cannot use exactly
  | 'UNSUPPORTED_TYPE' // a tensor type the importer does not handle (e.g. int16 activations)
  | 'BAD_TFLITE' // a .tflite file that is malformed or outside what the importer reads
  | 'READ_FAILED' // an input file could not be read
  | 'WRITE_FAILED' // an output file could not be written
  | 'CALIBRATION'; // calibration data missing, mis-shaped, or random without the explicit flag

export class ConvertError extends WasmqError {
  declare readonly code: ConvertErrorCode;
  constructor(code: ConvertErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
  }
}
