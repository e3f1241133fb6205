// Typed signatures of the 'f32' kernel family's exports (assembly/f32/). Pointers are byte offsets into wasm memory.
// eslint-disable-next-line @typescript-eslint/no-empty-interface
export interface F32Exports {}
