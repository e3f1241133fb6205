// Kernel family 'elementwise': see the files beside this one. This file only re-exports.
export { addInt8, mulInt8 } from "./binary";
export { lut8, lut8Scalar } from "./lut";
export { clamp8 } from "./clamp";
export { softmaxInt8 } from "./softmax";
export { requantize8, copyRows8, flipSign8 } from "./requantize";
export { pad8 } from "./pad";
export { quantizeF32, dequantize8, dequantizeI32 } from "./quantize";
