// Typed signatures of the 'gemm' kernel family's exports (assembly/gemm/). Pointers are byte offsets into wasm memory.
// eslint-disable-next-line @typescript-eslint/no-empty-interface
export interface GemmExports {}
