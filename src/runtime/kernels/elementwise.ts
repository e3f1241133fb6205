// Typed signatures of the 'elementwise' kernel family's exports (assembly/elementwise/). Pointers are byte offsets into wasm memory.
// eslint-disable-next-line @typescript-eslint/no-empty-interface
export interface ElementwiseExports {}
