// Typed signatures of the 'conv' kernel family's exports (assembly/conv/). Pointers are byte offsets into wasm memory.
// eslint-disable-next-line @typescript-eslint/no-empty-interface
export interface ConvExports {}
