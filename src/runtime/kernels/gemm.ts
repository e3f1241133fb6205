// Typed signatures of the 'gemm' kernel family's exports (assembly/gemm/). Pointers are byte offsets into wasm memory.
// Arithmetic: QUANTIZATION.md §2. acc[m][n] = bias[n] + sum_k (A[m][k] - zpIn) * (W[n][k] - zpW), int32 wrapping,
// then requantized per output channel with a params block (src/runtime/requant-params.ts) and clamped.
import type { KernelExports } from '../kernel-abi.js';
import type { WasmHeap } from '../heap.js';
import { WasmqError } from '../errors.js';

export interface GemmExports {
  /** Bytes of packed weights for n output channels of taps * kc inputs (GEMM: taps = 1, kc = K). */
  gemmPackedSize(n: number, taps: number, kc: number): number;
  /**
   * Packs int8 weights [n][taps][kc] (row-major; conv OHWI: taps = kh*kw, kc = cin) and int32 bias [n]
   * (0 = no bias) into dst (gemmPackedSize bytes), folding the weight-only zero-point terms into the bias:
   * bias - zpIn * sum w + taps*kc * zpIn * zpW. Once, at prepare time; the packed block is tied to zpIn and zpW.
   */
  gemmPack(dst: number, weights: number, bias: number, n: number, taps: number, kc: number, zpIn: number, zpW: number): void;
  /** Scratch bytes `gemm` needs: 4*m when zpW != 0 (per-row corrections), else 0. */
  gemmScratchSize(m: number, zpW: number): number;
  /**
   * C int8 [m][n] (row stride ldc) = requant(A int8 [m][k] (row stride lda) x packed) with zero point zpOut,
   * clamped to [qmin, qmax]. packed from gemmPack(.., n, 1, k, zpIn, zpW); params: requant block for n channels.
   * Reads (never writes) up to 16 bytes past A's rows. scratch: gemmScratchSize(m, zpW) bytes (0 if none).
   */
  gemm(m: number, n: number, k: number, a: number, lda: number, packed: number, c: number, ldc: number,
    params: number, zpOut: number, qmin: number, qmax: number, zpW: number, scratch: number): void;
  /** Benchmark only: gemm's arguments and work with the requantization skipped (outputs are not meaningful). */
  gemmRequantSkippedForBench(m: number, n: number, k: number, a: number, lda: number, packed: number, c: number, ldc: number,
    params: number, zpOut: number, qmin: number, qmax: number, zpW: number, scratch: number): void;
  /** Plain-loop twin of gemm from unpacked weights W int8 [n][k] and bias int32 [n] (0 = none). */
  gemmScalar(m: number, n: number, k: number, a: number, lda: number, w: number, bias: number, c: number, ldc: number,
    params: number, zpIn: number, zpW: number, zpOut: number, qmin: number, qmax: number): void;
  /**
   * The requantization mode gemm / conv use for a layer packed by gemmPack(packed, .., n, 1, kc, .., zpW)
   * (requantMode's codes): requantMode's, or REQUANT_F64 (2) where only tiny-multiplier channels whose
   * accumulator range (from the weights) is shown exact kept it on the 64-bit path, or 4 (REQUANT_F64_OFFSET:
   * the clamp [-128, 127] with zpOut = -128, every channel with an offset, assembly/requant-offsets.ts), or 5
   * (REQUANT_F64_OFFSET_SIGNED: qmin < zpOut, every channel with offsets for both signs).
   */
  gemmRequantMode(params: number, n: number, zpOut: number, qmin: number, qmax: number, packed: number, kc: number, zpW: number): number;
  /**
   * Whether gemm / conv with kk values per output (K, or taps * cin) can take the offset forms (the 4x8c2 layout):
   * the requantization params need their constants only then (packRequantParams' `offsets`). 1 or 0.
   */
  gemmUsesOffsets(kk: number): number;
  /** Wrapping int32 sum of kc int8 values at p. */
  rowSum(p: number, kc: number): number;
  /** corr[r] = -zpW * (sum over taps of rowSum(row pointer, kc)) for r < rows, from a pointer table [ceil(rows/4)][taps][4] (conv's indirection table). */
  indirectCorrections(ind: number, rows: number, taps: number, kc: number, zpW: number, corr: number): void;
}

/** Rows per microkernel tile: pointer tables (conv's indirection table) are grouped by this many rows. */
export const GEMM_MR = 4;

export interface PackedGemmWeights {
  /** Pointer to the packed block (gemmPackedSize bytes) in wasm memory. */
  packed: number;
  bytes: number;
}

/**
 * Packs weights int8 [n][taps * kc] and optional int32 bias [n] for gemm (taps = 1, kc = K; conv uses convPack instead), leaving
 * the packed block allocated in `heap` (the temporary copies are released). The caller's arrays are not modified.
 */
export function packGemmWeights(
  k: KernelExports, heap: WasmHeap, weights: Int8Array, bias: Int32Array | null,
  n: number, kc: number, zpIn: number, zpW: number, taps = 1,
): PackedGemmWeights {
  for (const [name, v, lo, hi] of [['n', n, 1, 1 << 24], ['kc', kc, 1, 1 << 24], ['taps', taps, 1, 1 << 16], ['zpIn', zpIn, -128, 127], ['zpW', zpW, -128, 127]] as const) {
    if (!Number.isInteger(v) || v < lo || v > hi) throw new WasmqError('BAD_GEMM_ARGS', `packGemmWeights: ${name} = ${v} is not an integer in [${lo}, ${hi}]`);
  }
  if (weights.length !== n * taps * kc) {
    throw new WasmqError('BAD_GEMM_ARGS', `packGemmWeights: weights hold ${weights.length} values, expected n*taps*kc = ${n}*${taps}*${kc}`);
  }
  if (bias && bias.length !== n) throw new WasmqError('BAD_GEMM_ARGS', `packGemmWeights: bias holds ${bias.length} values, expected n = ${n}`);
  const bytes = k.gemmPackedSize(n, taps, kc);
  const packed = heap.alloc(bytes);
  const mark = heap.mark();
  const w = heap.put(weights);
  const b = bias ? heap.put(bias) : 0;
  k.gemmPack(packed, w, b, n, taps, kc, zpIn, zpW);
  heap.release(mark);
  return { packed, bytes };
}
