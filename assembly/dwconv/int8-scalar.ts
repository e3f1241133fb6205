// Scalar int8 depthwise convolution over the same packed weights: the int8-scalar benchmark baseline and a
// second, independent route the tests hold the SIMD kernel against (output channel oc reads input channel
// oc / depthMultiplier directly).
import { requantCapacity, requantOne } from "../requant";
import {
  field, tapSlots, beginTaps, beginRow, pixelTaps, tapBase,
  D_BATCH, D_IN_C, D_OUT_H, D_OUT_W, D_OUT_C, D_K_H, D_K_W, D_ZP_IN, D_ZP_OUT, D_QMIN, D_QMAX,
} from "./geometry";
import { dwWeightOffset } from "./pack";

/** Same contract as dwconvInt8, any depth multiplier. */
export function dwconvInt8Scalar(desc: usize, input: usize, output: usize, packed: usize, params: usize, scratch: usize): void {
  const inC = field(desc, D_IN_C), outC = field(desc, D_OUT_C);
  const mult = outC / inC;
  const taps = field(desc, D_K_H) * field(desc, D_K_W);
  const slots = tapSlots(taps);
  const pairs = slots >> 1;
  const offsets = scratch;
  const border = scratch + (<usize>slots << 2);
  const padRow = border + (<usize>slots << 2);
  memory.fill(padRow, <u8>field(desc, D_ZP_IN), <usize>inC);

  const weights = packed + (<usize>((outC + 15) >> 4) << 6);
  const row = <usize>requantCapacity(outC) << 2;
  const zp = field(desc, D_ZP_OUT), qmin = field(desc, D_QMIN), qmax = field(desc, D_QMAX);
  const batch = field(desc, D_BATCH), outH = field(desc, D_OUT_H), outW = field(desc, D_OUT_W);
  beginTaps(desc, input, 1, offsets, border, padRow);
  let out = output;
  for (let n = 0; n < batch; n++) {
    for (let oy = 0; oy < outH; oy++) {
      beginRow(n, oy);
      for (let ox = 0; ox < outW; ox++) {
        const tab = pixelTaps(ox);
        const base = tapBase;
        for (let oc = 0; oc < outC; oc++) {
          const x = base + <usize>(oc / mult);
          const wc = weights + dwWeightOffset(oc, 0, pairs);
          let acc = load<i32>(packed + (<usize>oc << 2));
          for (let t = 0; t < taps; t++) {
            const xv = <i32>load<i8>(x + load<usize>(tab + (<usize>t << 2)));
            acc += xv * <i32>load<i16>(wc + (<usize>(t >> 1) << 6) + (<usize>(t & 1) << 1));
          }
          store<i8>(out + <usize>oc, <i8>requantOne(acc, params, row, oc, zp, qmin, qmax));
        }
        out += <usize>outC;
      }
    }
  }
}
