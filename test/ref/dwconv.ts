// Reference depthwise convolutions written from the definitions (QUANTIZATION.md §2), not from the kernels:
// direct loops over NHWC / 1HWC, padded taps reading the input zero point (int8) or 0 (float).
import type { ConvGeometry } from '../../src/runtime/kernels/dwconv.js';
import { requantRef } from './requant.js';

export interface DepthwiseInt8Case {
  g: ConvGeometry;
  x: Int8Array;
  /** [kH][kW][outC] */
  w: Int8Array;
  bias?: Int32Array;
  zpIn: number;
  zpW: number;
  m0: Int32Array;
  shift: Int32Array;
  zpOut: number;
  qmin: number;
  qmax: number;
}

/** Visits every (n, oy, ox, oc) with the input index of each tap (-1 for a padded tap). */
export function forEachDepthwiseTap(g: ConvGeometry, visit: (out: number, oc: number, tap: number, inIndex: number) => void): void {
  const mult = g.outC / g.inC;
  for (let n = 0; n < g.batch; n++) for (let oy = 0; oy < g.outH; oy++) for (let ox = 0; ox < g.outW; ox++) {
    const out = ((n * g.outH + oy) * g.outW + ox) * g.outC;
    for (let oc = 0; oc < g.outC; oc++) {
      const ic = Math.floor(oc / mult);
      for (let ky = 0; ky < g.kH; ky++) for (let kx = 0; kx < g.kW; kx++) {
        const iy = oy * g.strideH - g.padTop + ky * g.dilationH;
        const ix = ox * g.strideW - g.padLeft + kx * g.dilationW;
        const inside = iy >= 0 && iy < g.inH && ix >= 0 && ix < g.inW;
        visit(out + oc, oc, ky * g.kW + kx, inside ? ((n * g.inH + iy) * g.inW + ix) * g.inC + ic : -1);
      }
    }
  }
}

/** int8 depthwise conv: acc = bias + sum (x - zpIn)(w - zpW), requantized per channel. */
export function depthwiseInt8Ref(c: DepthwiseInt8Case): Int8Array {
  const { g } = c;
  const acc = new Float64Array(g.batch * g.outH * g.outW * g.outC);
  forEachDepthwiseTap(g, (o, oc, t, i) => {
    const x = i < 0 ? c.zpIn : c.x[i];
    acc[o] += (x - c.zpIn) * (c.w[t * g.outC + oc] - c.zpW);
  });
  const out = new Int8Array(acc.length);
  for (let o = 0; o < acc.length; o++) {
    const oc = o % g.outC;
    const a = acc[o] + (c.bias ? c.bias[oc] : 0);
    if (a < -2147483648 || a > 2147483647) throw new Error(`reference accumulator ${a} leaves int32: the test case is invalid`);
    out[o] = requantRef(a, c.m0[oc], c.shift[oc], c.zpOut, c.qmin, c.qmax);
  }
  return out;
}
