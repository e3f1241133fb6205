// Kernel family 'f32': see the files beside this one. This file only re-exports.
export { f32GemmPackedSize, f32GemmPack, f32Gemm } from "./gemm";
export { f32ConvScratchSize, f32Conv } from "./conv";
export { f32DwconvPackedSize, f32DwconvPack, f32Dwconv } from "./dwconv";
export { f32Binary } from "./binary";
export { f32MaxPool2d, f32AveragePool2d, f32Clamp } from "./pool";
