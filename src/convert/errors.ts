// Errors of the converters (ONNX and TFLite import, calibration, quantization). Codes are stable strings.
import { WasmqError } from '../runtime/errors.js';

/** A model could not be converted: the message names the node, tensor or option at fault. */
export class ConvertError extends WasmqError {}
