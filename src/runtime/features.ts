// What this engine offers wasmq, for the feature report on the demo pages and for users' own diagnostics.
// Each probe validates a tiny module; nothing is instantiated.
import { simdSupported } from './wasm.js';

export interface Features {
  /** WebAssembly SIMD128: required */
  simd: boolean;
  /** relaxed SIMD (e.g. i8x16.relaxed_swizzle): detected, not used yet (its dot product differs across engines) */
  relaxedSimd: boolean;
  /** SharedArrayBuffer usable: the page is cross-origin isolated (COOP/COEP) */
  threads: boolean;
  crossOriginIsolated: boolean;
  /** the kernel build this runtime runs on this engine */
  kernelBuild: 'simd128' | 'none';
}

/** A module with one function () -> v128 whose body is `v128.const 0; v128.const 0; <op>`. */
function binaryV128Probe(opcode: number[]): Uint8Array<ArrayBuffer> {
  const zero = [0xfd, 0x0c, ...new Array(16).fill(0)];
  const body = [0x00, ...zero, ...zero, ...opcode, 0x0b];
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7b, // type: () -> v128
    0x03, 0x02, 0x01, 0x00, // one function of type 0
    0x0a, body.length + 2, 0x01, body.length, ...body,
  ]);
}

// i8x16.relaxed_swizzle is 0xfd 0x100 (LEB128 0x80 0x02).
const RELAXED_PROBE = binaryV128Probe([0xfd, 0x80, 0x02]);

export function detectFeatures(): Features {
  const simd = simdSupported();
  let relaxedSimd = false;
  try {
    relaxedSimd = typeof WebAssembly === 'object' && WebAssembly.validate(RELAXED_PROBE);
  } catch {
    relaxedSimd = false;
  }
  const isolated = typeof globalThis.crossOriginIsolated === 'boolean' ? globalThis.crossOriginIsolated : typeof window === 'undefined';
  const threads = isolated && typeof SharedArrayBuffer === 'function';
  return { simd, relaxedSimd, threads, crossOriginIsolated: isolated, kernelBuild: simd ? 'simd128' : 'none' };
}
