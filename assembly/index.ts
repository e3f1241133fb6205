// The kernel library's exports. Kernels see only pointers, shapes and quantization parameters.
// Each family lives in its own folder and re-exports its public kernels from its index.ts.
export { abiVersion, heapBase } from "./abi";
export {
  requantCapacity, requantParamsSize, requantParamsPack, requantMode, requantModeSigned,
  requantOffset, requantOneOffset, requantOneOffsetSigned,
  requantizeRows, requantizeRowsScalar, srdhmScalar, rdbpotScalar,
} from "./requant";
export * from "./gemm/index";        // int8 GEMM / fully-connected microkernels and weight packing
export * from "./conv/index";        // int8 conv2d (1x1 straight to GEMM; general via indirection)
export * from "./dwconv/index";      // int8 depthwise conv
export * from "./f32/index";         // float32 SIMD twins of GEMM, conv and depthwise
export * from "./pool/index";        // pooling and mean
export * from "./elementwise/index"; // add, mul, LUT ops, softmax, concat, pad, quantize/dequantize
