// Typed signatures of the 'dwconv' kernel family's exports (assembly/dwconv/). Pointers are byte offsets into wasm memory.
// eslint-disable-next-line @typescript-eslint/no-empty-interface
export interface DwconvExports {}
