// Kernel family 'conv': int8 Conv2D (pointwise straight to GEMM; general via an indirection table over the
// shared GEMM microkernel) and its scalar twin. Weights are packed with gemmPack. This file only re-exports.
export { convWorkspaceSize, convSetup } from "./workspace";
export { conv } from "./conv";
export { convScalar } from "./scalar";
export { convIsPointwise } from "./descriptor";
