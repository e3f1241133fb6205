// The kernel library's exports. Kernels see only pointers, shapes and quantization parameters.
export { abiVersion, heapBase } from "./abi";
export {
  requantCapacity, requantParamsSize, requantParamsPack,
  requantizeRows, requantizeRowsScalar, srdhmScalar, rdbpotScalar,
} from "./requant";
