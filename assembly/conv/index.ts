// Kernel family 'conv': int8 Conv2D (pointwise straight to GEMM; general via an indirection table over the
// shared GEMM microkernel, gathering windows per tile when there are few input channels) and its scalar twin.
// The descriptor is dwconv's (convDescriptor) with zpW in field 19. This file only re-exports.
export { convMode } from "./descriptor";
export { convPackedSize, convPack } from "./pack";
export { convWorkspaceSize, convSetup } from "./workspace";
export { conv } from "./conv";
export { convScalar } from "./scalar";
