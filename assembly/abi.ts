// Bumped whenever an exported kernel's signature changes, so the TypeScript side can refuse a stale .wasm.
export function abiVersion(): i32 {
  return 1;
}

// First byte the TypeScript side may use: everything below holds the module's static data.
export function heapBase(): usize {
  return __heap_base;
}
