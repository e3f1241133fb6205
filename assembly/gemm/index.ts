// Kernel family 'gemm': int8 GEMM / fully-connected (4x8c2 microkernel, fused requantization) and its
// weight packing; conv runs the same microkernels on gathered windows. This file only re-exports.
export { gemmPackedSize, gemmPack } from "./pack";
export { gemm, gemmScratchSize, gemmRequantSkippedForBench } from "./gemm";
export { gemmScalar } from "./scalar";
export { rowSum, indirectCorrections } from "./corrections";
export { gemmRequantMode, gemmUsesOffsets } from "./mode";
