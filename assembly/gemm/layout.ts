// The packed-weights layout shared by the GEMM and indirect-GEMM (conv) microkernels: "4x8c2, i16 weights".
// Output channels are grouped in blocks of NR = 8. Each block holds
//   [ 8 x i32 effective bias ][ taps x (kcp / 2) pairs x 8 channels x 2 k x i16 weights ]
// where kcp = kc rounded up to 2. Weights are stored pre-widened to i16 so the inner loop feeds them
// straight to i32x4.dot_i16x8_s (measured ~5% faster than widening int8 weights in the loop). Padding
// channels and the odd k of a pair are zero, so whatever the kernel reads for them adds nothing.

export const MR: i32 = 4;
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
