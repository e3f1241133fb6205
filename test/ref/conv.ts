// Reference int8 Conv2D written from QUANTIZATION.md §2: NHWC input, OHWI weights, padding pixels hold zpIn
// (they mean real 0), so acc = bias + sum over all taps of (x - zpIn) * (w - zpW) with x = zpIn outside.
import { requantChannel, type OutputQuant } from './gemm.js';

export interface ConvRefSpec {
  batch: number; inH: number; inW: number; cin: number; cout: number; kH: number; kW: number;
  strideH: number; strideW: number; dilH: number; dilW: number;
  padTop: number; padLeft: number; outH: number; outW: number;
  zpIn: number; zpW: number;
}

export function convRef(s: ConvRefSpec, input: Int8Array, weights: Int8Array, bias: Int32Array | null, q: OutputQuant): Int8Array {
  const out = new Int8Array(s.batch * s.outH * s.outW * s.cout);
  let o = 0;
  for (let b = 0; b < s.batch; b++) for (let oy = 0; oy < s.outH; oy++) for (let ox = 0; ox < s.outW; ox++) {
    for (let co = 0; co < s.cout; co++) {
      let acc = bias ? bias[co] : 0;
      for (let ky = 0; ky < s.kH; ky++) for (let kx = 0; kx < s.kW; kx++) {
        const iy = oy * s.strideH - s.padTop + ky * s.dilH;
        const ix = ox * s.strideW - s.padLeft + kx * s.dilW;
        const inside = iy >= 0 && iy < s.inH && ix >= 0 && ix < s.inW;
        for (let ci = 0; ci < s.cin; ci++) {
          const x = inside ? input[((b * s.inH + iy) * s.inW + ix) * s.cin + ci] : s.zpIn;
          const w = weights[((co * s.kH + ky) * s.kW + kx) * s.cin + ci];
          acc = (acc + (x - s.zpIn) * (w - s.zpW)) | 0;
        }
      }
      out[o++] = requantChannel(acc, co, q);
    }
  }
  return out;
}
