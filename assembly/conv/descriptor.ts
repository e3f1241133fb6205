// The conv descriptor: 20 i32 fields in wasm memory (written by src/runtime/kernels/conv.ts, same order).
// Output size is given, not derived: taps that fall outside the input (any padding, symmetric or not)
// read the zpIn row.
export const BATCH = 0;
export const IN_H = 1;
export const IN_W = 2;
export const CIN = 3;
export const OUT_H = 4;
export const OUT_W = 5;
export const COUT = 6;
export const K_H = 7;
export const K_W = 8;
export const STRIDE_H = 9;
export const STRIDE_W = 10;
export const DIL_H = 11;
export const DIL_W = 12;
export const PAD_TOP = 13;
export const PAD_LEFT = 14;
export const ZP_IN = 15;
export const ZP_W = 16;
export const ZP_OUT = 17;
export const QMIN = 18;
export const QMAX = 19;
export const FIELDS = 20;

// @ts-ignore: decorator
@inline
export function field(desc: usize, f: i32): i32 {
  return load<i32>(desc + (<usize>f << 2));
}

/** Output pixels over the whole batch: the GEMM's M. */
// @ts-ignore: decorator
@inline
export function outputPixels(desc: usize): i32 {
  return field(desc, BATCH) * field(desc, OUT_H) * field(desc, OUT_W);
}

/** 1x1, stride 1, unpadded: the input already is the GEMM's A (M = batch * H * W, K = cin), no copy. */
export function convIsPointwise(desc: usize): bool {
  return field(desc, K_H) == 1 && field(desc, K_W) == 1 && field(desc, STRIDE_H) == 1 && field(desc, STRIDE_W) == 1
    && field(desc, PAD_TOP) == 0 && field(desc, PAD_LEFT) == 0
    && field(desc, OUT_H) == field(desc, IN_H) && field(desc, OUT_W) == field(desc, IN_W);
}
