// Kernel family 'dwconv': see the files beside this one. This file only re-exports.
export { dwconvScratchSize } from "./multiplier";
export { dwconvInt8PackedSize, dwconvInt8Pack } from "./pack";
export { dwconvInt8 } from "./int8";
export { dwconvInt8Scalar } from "./int8-scalar";
