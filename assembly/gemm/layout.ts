// The packed-weights layouts shared by the GEMM and indirect-GEMM (conv) microkernels.
// Layout "4x8c2, i16 weights" (any K):
// Output channels are grouped in blocks of NR = 8. Each block holds
//   [ 8 x i32 effective bias ][ taps x (kcp / 2) pairs x 8 channels x 2 k x i16 weights ]
// where kcp = kc rounded up to 2. Weights are stored pre-widened to i16 so the inner loop feeds them
// straight to i32x4.dot_i16x8_s (measured ~5% faster than widening int8 weights in the loop). Padding
// channels and the odd k of a pair are zero, so whatever the kernel reads for them adds nothing.

export const MR: i32 = 4;

/**
 * A `mode` the microkernels take besides requantMode's (benchmark only): accumulators narrowed straight to int8,
 * no requantization, so a benchmark can time what requantization costs inside the fused layer.
 */
export const REQUANT_SKIPPED: i32 = -1;
export const NR: i32 = 8;

/** kc rounded up to whole K pairs. */
// @ts-ignore: decorator
@inline
export function pairedK(kc: i32): i32 {
  return (kc + 1) & ~1;
}

/** Bytes of one block of NR channels: the biases, then taps * kcp * NR i16 weights. */
// @ts-ignore: decorator
@inline
export function blockBytes(taps: i32, kc: i32): usize {
  return <usize>(NR * 4) + <usize>taps * <usize>pairedK(kc) * <usize>(NR * 2);
}

// Layout "2x4c8, i16 weights", for long dense rows (taps == 1, kc >= C8_MIN_K): blocks of NR_C8 = 4 channels,
//   [ 4 x i32 effective bias ][ taps x (kc8 / 8) groups x 4 channels x 8 k x i16 weights ]
// kc8 = kc rounded up to 8. Each channel's 8 k meet 8 activations of a row in one dot, reduced horizontally
// once per tile: no broadcast shuffles in the K loop, but a reduction and a half-full requantization pack per
// 8 outputs. Against the 4x8c2 kernel with its one-pair K loop (fused requantization, both requant modes):
// 4x8c2 is 13% faster at K = 192, ~6% at 256, even at 320, 1-2% faster at 384; 2x4c8 10-13% faster at 576, 960.
export const NR_C8: i32 = 4;
export const C8_MIN_K: i32 = 400;

/**
 * Bytes between the rows the 4x8c2 kernel reads (i16 values, row 0 first): one constant for every layer, so the
 * K loop reads the MR rows at static offsets from one pointer. Holds the longest c2 row (C8_MIN_K - 1 values,
 * read in pairs) and 32 bytes of spill-over from the 16-byte stores that fill rows.
 */
export const C2_ROW_BYTES: usize = <usize>C8_MIN_K * 2 + 32; // 832

// @ts-ignore: decorator
@inline
export function usesC8(taps: i32, kc: i32): bool {
  return taps == 1 && kc >= C8_MIN_K;
}

// @ts-ignore: decorator
@inline
export function groupedK(kc: i32): i32 {
  return (kc + 7) & ~7;
}

// @ts-ignore: decorator
@inline
export function blockBytesC8(taps: i32, kc: i32): usize {
  return <usize>(NR_C8 * 4) + <usize>taps * <usize>groupedK(kc) * <usize>(NR_C8 * 2);
}
