// Typed signatures of the 'pool' kernel family's exports (assembly/pool/). Pointers are byte offsets into wasm memory.
// eslint-disable-next-line @typescript-eslint/no-empty-interface
export interface PoolExports {}
