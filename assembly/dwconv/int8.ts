// int8 depthwise convolution, SIMD over 16 channels (QUANTIZATION.md §2; weights packed by pack.ts).
// For each output pixel and group of 16 channels: acc = effective bias + sum over tap pairs of
// i32x4.dot_i16x8_s(x interleaved by tap pair, packed weights), then per-channel requantization.
// Why dot and not XNNPACK's mul16/add16: dot products are exact for any weight, so the same loop serves
// zpW != 0 (weights w - zpW in [-255, 255]) at no cost. Bound: |x| <= 128, |w - zpW| <= 255, so each pair
// sum is <= 65280 and the int32 accumulator is exact for up to 32768 tap pairs (the TS helper caps taps far lower).
// Cost (AMD EPYC, Node 20, MobileNetV2 3x3 shapes): the multiply-adds alone run ~1.45x faster than the f32 twin,
// but the exact per-channel requantization (requant4, 64-bit products) costs about as much again, so the whole
// kernel lands at ~0.7-0.9x f32: with only 9 taps per output there is little to amortize it over. ReLU-clamped
// layers with moderate shifts (requantMode == REQUANT_F64, e.g. MobileNetV2's) take the cheaper single-rounding
// path: the int8 MobileNetV2's depthwise layers went from 2.95 to 2.40 ms in total.
import { requantCapacity, requant4By, requantMode, packClamp16 } from "../requant";
import {
  field, tapSlots, beginTaps, beginRow, pixelTaps, tapBase,
  D_BATCH, D_IN_C, D_OUT_H, D_OUT_W, D_OUT_C, D_K_H, D_K_W, D_ZP_IN, D_ZP_OUT, D_QMIN, D_QMAX,
} from "./geometry";
import { dwconvInt8Scalar } from "./int8-scalar";

// Where a partial last group is assembled before its valid lanes are copied out.
const tail = memory.data(16, 16);

/**
 * NHWC int8 depthwise conv. `desc`: the geometry descriptor (geometry.ts) with zpIn, zpOut, qmin, qmax;
 * `packed`: from dwconvInt8Pack; `params`: requantParamsPack block for outC channels; `scratch`:
 * dwconvScratchSize(kH*kW, inC, 1) bytes. Depth multipliers > 1 take the scalar kernel.
 */
export function dwconvInt8(desc: usize, input: usize, output: usize, packed: usize, params: usize, scratch: usize): void {
  const channels = field(desc, D_OUT_C);
  if (channels != field(desc, D_IN_C)) {
    dwconvInt8Scalar(desc, input, output, packed, params, scratch);
    return;
  }
  const slots = tapSlots(field(desc, D_K_H) * field(desc, D_K_W));
  const pairs = slots >> 1;
  const offsets = scratch;
  const border = scratch + (<usize>slots << 2);
  const padRow = border + (<usize>slots << 2);
  const zpIn = field(desc, D_ZP_IN);
  memory.fill(padRow, <u8>zpIn, <usize>((channels + 15) & ~15));

  const g16 = (channels + 15) >> 4;
  const weights = packed + (<usize>g16 << 6);
  const groupBytes = <usize>pairs << 6;
  const row = <usize>requantCapacity(channels) << 2;
  const zp = field(desc, D_ZP_OUT), qmin = field(desc, D_QMIN), qmax = field(desc, D_QMAX);
  const mode = requantMode(params, channels, zp, qmin, qmax);
  const vzp = i16x8.splat(<i16>zp), vlo = i16x8.splat(<i16>qmin), vhi = i16x8.splat(<i16>qmax);
  const batch = field(desc, D_BATCH), outH = field(desc, D_OUT_H), outW = field(desc, D_OUT_W);
  beginTaps(desc, input, 1, offsets, border, padRow);
  let out = output;
  for (let n = 0; n < batch; n++) {
    for (let oy = 0; oy < outH; oy++) {
      beginRow(n, oy);
      for (let ox = 0; ox < outW; ox++) {
        const tab = pixelTaps(ox);
        const base = tapBase;
        let w = weights;
        for (let c = 0; c < channels; c += 16) {
          const b = packed + (<usize>c << 2);
          let a0 = v128.load(b), a1 = v128.load(b, 16), a2 = v128.load(b, 32), a3 = v128.load(b, 48);
          let t = tab;
          const tEnd = tab + (<usize>slots << 2);
          const bc = base + <usize>c;
          while (t < tEnd) {
            // Sign-extending 8-byte loads, then interleave the two taps' i16 lanes: [a0 b0 a1 b1 a2 b2 a3 b3].
            const pa = bc + load<usize>(t), pb = bc + load<usize>(t, 4);
            const xa0 = v128.load8x8_s(pa), xb0 = v128.load8x8_s(pb);
            const xa1 = v128.load8x8_s(pa, 8), xb1 = v128.load8x8_s(pb, 8);
            a0 = i32x4.add(a0, i32x4.dot_i16x8_s(v128.shuffle<i16>(xa0, xb0, 0, 8, 1, 9, 2, 10, 3, 11), v128.load(w)));
            a1 = i32x4.add(a1, i32x4.dot_i16x8_s(v128.shuffle<i16>(xa0, xb0, 4, 12, 5, 13, 6, 14, 7, 15), v128.load(w, 16)));
            a2 = i32x4.add(a2, i32x4.dot_i16x8_s(v128.shuffle<i16>(xa1, xb1, 0, 8, 1, 9, 2, 10, 3, 11), v128.load(w, 32)));
            a3 = i32x4.add(a3, i32x4.dot_i16x8_s(v128.shuffle<i16>(xa1, xb1, 4, 12, 5, 13, 6, 14, 7, 15), v128.load(w, 48)));
            t += 8;
            w += 64;
          }
          const v = packClamp16(
            requant4By(mode, a0, params, row, c), requant4By(mode, a1, params, row, c + 4),
            requant4By(mode, a2, params, row, c + 8), requant4By(mode, a3, params, row, c + 12),
            vzp, vlo, vhi,
          );
          if (c + 16 <= channels) {
            v128.store(out + <usize>c, v);
          } else {
            v128.store(tail, v);
            memory.copy(out + <usize>c, tail, <usize>(channels - c));
          }
        }
        out += <usize>channels;
      }
    }
  }
}
