// Add and Mul of two int8 tensors with broadcasting, TFLite's integer schemes (QUANTIZATION.md §3):
//   Add: x_i = (q_i - zp_i) << 20, scaled by M_i = s_i / (2 max(s1, s2)); out = zp_out + MBQM(x_1 + x_2, M_out)
//        with M_out = 2 max(s1, s2) / (2^20 s_out)
//   Mul: out = zp_out + MBQM((q_1 - zp_1) * (q_2 - zp_2), s1 s2 / s_out)
// then clamp to [qmin, qmax]. MBQM is assembly/requant.ts's requant4 on uniform (per-tensor) params blocks.
// Broadcasting is a general strided loop over a 4-D output whose innermost axis has stride 1 or 0 (broadcast)
// in each input; the TS helper collapses shapes so equal shapes become one long row.
// Descriptor, 23 i32 (built by binaryDescriptor in src/runtime/kernels/elementwise.ts):
//   [0..3] output dims d0..d3 · [4..7] a's strides · [8..11] b's strides (elements; 0 = broadcast)
//   [12] zpA [13] zpB [14] zpOut [15] qmin [16] qmax [17] mOut [18] shiftOut [19] mA [20] shiftA [21] mB [22] shiftB
import { requant4, packClamp16 } from "../requant";
import { storeTail, uniformParams, UNIFORM_ROW } from "./vec";

const ADD = 0;
const MUL = 1;

/** out = clamp(zpOut + MBQM(MBQM((a - zpA) << 20, mA) + MBQM((b - zpB) << 20, mB), mOut)); see descriptor above. */
export function addInt8(a: usize, b: usize, out: usize, desc: usize): void {
  binary(a, b, out, desc, ADD);
}

/** out = clamp(zpOut + MBQM((a - zpA) * (b - zpB), mOut)); descriptor as addInt8 (fields 19..22 unused). */
export function mulInt8(a: usize, b: usize, out: usize, desc: usize): void {
  binary(a, b, out, desc, MUL);
}

// @ts-ignore: decorator
@inline
function binary(a: usize, b: usize, out: usize, desc: usize, op: i32): void {
  const d0 = load<i32>(desc), d1 = load<i32>(desc, 4), d2 = load<i32>(desc, 8), d3 = load<i32>(desc, 12);
  const as0 = <usize>load<i32>(desc, 16), as1 = <usize>load<i32>(desc, 20), as2 = <usize>load<i32>(desc, 24), as3 = load<i32>(desc, 28);
  const bs0 = <usize>load<i32>(desc, 32), bs1 = <usize>load<i32>(desc, 36), bs2 = <usize>load<i32>(desc, 40), bs3 = load<i32>(desc, 44);
  const pOut = uniformParams(0, load<i32>(desc, 68), load<i32>(desc, 72));
  const pA = op == ADD ? uniformParams(1, load<i32>(desc, 76), load<i32>(desc, 80)) : 0;
  const pB = op == ADD ? uniformParams(2, load<i32>(desc, 84), load<i32>(desc, 88)) : 0;
  let o = out;
  for (let i0 = 0; i0 < d0; i0++) for (let i1 = 0; i1 < d1; i1++) for (let i2 = 0; i2 < d2; i2++) {
    const pa = a + <usize>i0 * as0 + <usize>i1 * as1 + <usize>i2 * as2;
    const pb = b + <usize>i0 * bs0 + <usize>i1 * bs1 + <usize>i2 * bs2;
    // One specialized loop per (a, b) inner stride: loads or splats are decided outside the loop.
    if (as3 != 0 && bs3 != 0) row(pa, true, pb, true, o, d3, desc, op, pOut, pA, pB);
    else if (as3 != 0) row(pa, true, pb, false, o, d3, desc, op, pOut, pA, pB);
    else if (bs3 != 0) row(pa, false, pb, true, o, d3, desc, op, pOut, pA, pB);
    else row(pa, false, pb, false, o, d3, desc, op, pOut, pA, pB);
    o += <usize>d3;
  }
}

// @ts-ignore: decorator
@inline
function row(pa: usize, aVec: bool, pb: usize, bVec: bool, po: usize, n: i32, desc: usize, op: i32, pOut: usize, pA: usize, pB: usize): void {
  const zpA = i16x8.splat(<i16>load<i32>(desc, 48)), zpB = i16x8.splat(<i16>load<i32>(desc, 52));
  const zpOut = i16x8.splat(<i16>load<i32>(desc, 56));
  const lo = i16x8.splat(<i16>load<i32>(desc, 60)), hi = i16x8.splat(<i16>load<i32>(desc, 64));
  const sa = i8x16.splat(load<i8>(pa)), sb = i8x16.splat(load<i8>(pb));
  for (let j = 0; j < n; j += 16) {
    const va = aVec ? v128.load(pa + <usize>j) : sa;
    const vb = bVec ? v128.load(pb + <usize>j) : sb;
    // Zero points subtracted in int16: q - zp lies in [-255, 255].
    const xa0 = i16x8.sub(i16x8.extend_low_i8x16_s(va), zpA), xa1 = i16x8.sub(i16x8.extend_high_i8x16_s(va), zpA);
    const xb0 = i16x8.sub(i16x8.extend_low_i8x16_s(vb), zpB), xb1 = i16x8.sub(i16x8.extend_high_i8x16_s(vb), zpB);
    let r: v128;
    if (op == ADD) {
      r = packClamp16(
        add4(i32x4.extend_low_i16x8_s(xa0), i32x4.extend_low_i16x8_s(xb0), pA, pB, pOut, 0),
        add4(i32x4.extend_high_i16x8_s(xa0), i32x4.extend_high_i16x8_s(xb0), pA, pB, pOut, 4),
        add4(i32x4.extend_low_i16x8_s(xa1), i32x4.extend_low_i16x8_s(xb1), pA, pB, pOut, 8),
        add4(i32x4.extend_high_i16x8_s(xa1), i32x4.extend_high_i16x8_s(xb1), pA, pB, pOut, 12),
        zpOut, lo, hi,
      );
    } else {
      r = packClamp16(
        requant4(i32x4.extmul_low_i16x8_s(xa0, xb0), pOut, UNIFORM_ROW, 0),
        requant4(i32x4.extmul_high_i16x8_s(xa0, xb0), pOut, UNIFORM_ROW, 4),
        requant4(i32x4.extmul_low_i16x8_s(xa1, xb1), pOut, UNIFORM_ROW, 8),
        requant4(i32x4.extmul_high_i16x8_s(xa1, xb1), pOut, UNIFORM_ROW, 12),
        zpOut, lo, hi,
      );
    }
    if (j + 16 <= n) v128.store(po + <usize>j, r);
    else storeTail(po + <usize>j, r, n - j);
  }
}

// @ts-ignore: decorator
@inline
function add4(xa: v128, xb: v128, pA: usize, pB: usize, pOut: usize, c: i32): v128 {
  const sum = i32x4.add(
    requant4(i32x4.shl(xa, 20), pA, UNIFORM_ROW, c),
    requant4(i32x4.shl(xb, 20), pB, UNIFORM_ROW, c),
  );
  return requant4(sum, pOut, UNIFORM_ROW, c);
}
