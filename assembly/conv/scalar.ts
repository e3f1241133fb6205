// Plain-loop int8 Conv2D from unpacked OHWI weights: the int8-scalar benchmark baseline and a second check.
import { requantCapacity, requantOne } from "../requant";
import {
  field, BATCH, IN_H, IN_W, CIN, OUT_H, OUT_W, COUT, K_H, K_W, STRIDE_H, STRIDE_W, DIL_H, DIL_W,
  PAD_TOP, PAD_LEFT, ZP_IN, ZP_W, ZP_OUT, QMIN, QMAX,
} from "./descriptor";

/** acc = bias + sum over in-bounds taps of (x - zpIn) * (w - zpW); padding contributes (zpIn - zpIn) = 0. */
export function convScalar(desc: usize, input: usize, weights: usize, bias: usize, output: usize, params: usize): void {
  const batch = field(desc, BATCH), inH = field(desc, IN_H), inW = field(desc, IN_W), cin = field(desc, CIN);
  const outH = field(desc, OUT_H), outW = field(desc, OUT_W), cout = field(desc, COUT);
  const kH = field(desc, K_H), kW = field(desc, K_W);
  const zpIn = field(desc, ZP_IN), zpW = field(desc, ZP_W);
  const zpOut = field(desc, ZP_OUT), qmin = field(desc, QMIN), qmax = field(desc, QMAX);
  const prow = <usize>requantCapacity(cout) << 2;
  let out = output;
  for (let b = 0; b < batch; b++) for (let oy = 0; oy < outH; oy++) for (let ox = 0; ox < outW; ox++) {
    for (let co = 0; co < cout; co++) {
      let acc: i32 = bias != 0 ? load<i32>(bias + (<usize>co << 2)) : 0;
      for (let ky = 0; ky < kH; ky++) {
        const iy = oy * field(desc, STRIDE_H) - field(desc, PAD_TOP) + ky * field(desc, DIL_H);
        if (iy < 0 || iy >= inH) continue;
        for (let kx = 0; kx < kW; kx++) {
          const ix = ox * field(desc, STRIDE_W) - field(desc, PAD_LEFT) + kx * field(desc, DIL_W);
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
