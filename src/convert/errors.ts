// The converters' one typed error (ONNX and TFLite import, passes, calibration, quantization): see ir/errors.ts.
export { ConvertError, type ConvertErrorCode } from './ir/errors.js';
