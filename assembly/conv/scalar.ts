// Plain-loop int8 Conv2D from unpacked OHWI weights: the int8-scalar benchmark baseline and a second check.
import { requantCapacity, requantOne } from "../requant";
import {
  field, D_BATCH, D_IN_H, D_IN_W, D_IN_C, D_OUT_H, D_OUT_W, D_OUT_C, D_K_H, D_K_W, D_STRIDE_H, D_STRIDE_W,
  D_DIL_H, D_DIL_W, D_PAD_TOP, D_PAD_LEFT, D_ZP_IN, D_ZP_OUT, D_QMIN, D_QMAX,
} from "../dwconv/geometry";
import { D_ZP_W } from "./descriptor";

/** acc = bias + sum over in-bounds taps of (x - zpIn) * (w - zpW); padding contributes (zpIn - zpIn) = 0. */
export function convScalar(desc: usize, input: usize, weights: usize, bias: usize, output: usize, params: usize): void {
  const batch = field(desc, D_BATCH), inH = field(desc, D_IN_H), inW = field(desc, D_IN_W), cin = field(desc, D_IN_C);
  const outH = field(desc, D_OUT_H), outW = field(desc, D_OUT_W), cout = field(desc, D_OUT_C);
  const kH = field(desc, D_K_H), kW = field(desc, D_K_W);
  const zpIn = field(desc, D_ZP_IN), zpW = field(desc, D_ZP_W);
  const zpOut = field(desc, D_ZP_OUT), qmin = field(desc, D_QMIN), qmax = field(desc, D_QMAX);
  const prow = <usize>requantCapacity(cout) << 2;
  let out = output;
  for (let b = 0; b < batch; b++) for (let oy = 0; oy < outH; oy++) for (let ox = 0; ox < outW; ox++) {
    for (let co = 0; co < cout; co++) {
      let acc: i32 = bias != 0 ? load<i32>(bias + (<usize>co << 2)) : 0;
      for (let ky = 0; ky < kH; ky++) {
        const iy = oy * field(desc, D_STRIDE_H) - field(desc, D_PAD_TOP) + ky * field(desc, D_DIL_H);
        if (iy < 0 || iy >= inH) continue;
        for (let kx = 0; kx < kW; kx++) {
          const ix = ox * field(desc, D_STRIDE_W) - field(desc, D_PAD_LEFT) + kx * field(desc, D_DIL_W);
          if (ix < 0 || ix >= inW) continue;
          const x = input + (<usize>(b * inH + iy) * <usize>inW + <usize>ix) * <usize>cin;
          const w = weights + ((<usize>co * <usize>kH + <usize>ky) * <usize>kW + <usize>kx) * <usize>cin;
          for (let ci = 0; ci < cin; ci++) {
            acc += (<i32>load<i8>(x + <usize>ci) - zpIn) * (<i32>load<i8>(w + <usize>ci) - zpW);
          }
        }
      }
      store<i8>(out, <i8>requantOne(acc, params, prow, co, zpOut, qmin, qmax));
      out++;
    }
  }
}
