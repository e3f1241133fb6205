// Plain scalar references for pooling and Mean, written from the formulas (QUANTIZATION.md §3, TFLite).
import type { PoolGeometry } from '../../src/runtime/kernels/pool.js';
import { requantRef } from './requant.js';

/** C-style integer division (truncating toward zero). */
export function divTrunc(a: number, b: number): number {
  return Math.trunc(a / b);
}

export function poolRef(x: Int8Array, g: PoolGeometry, kind: 'max' | 'avg', qmin: number, qmax: number): Int8Array {
  const out = new Int8Array(g.batch * g.outH * g.outW * g.channels);
  for (let n = 0; n < g.batch; n++) for (let oy = 0; oy < g.outH; oy++) for (let ox = 0; ox < g.outW; ox++) {
    for (let c = 0; c < g.channels; c++) {
      let best = -Infinity, sum = 0, count = 0;
      for (let fy = 0; fy < g.filterH; fy++) for (let fx = 0; fx < g.filterW; fx++) {
        const y = oy * g.strideH - g.padTop + fy, xx = ox * g.strideW - g.padLeft + fx;
        if (y < 0 || y >= g.inH || xx < 0 || xx >= g.inW) continue;
        const v = x[((n * g.inH + y) * g.inW + xx) * g.channels + c];
        best = Math.max(best, v);
        sum += v;
        count++;
      }
      const v = kind === 'max' ? best : divTrunc(sum > 0 ? sum + Math.floor(count / 2) : sum - Math.floor(count / 2), count);
      out[((n * g.outH + oy) * g.outW + ox) * g.channels + c] = Math.min(qmax, Math.max(qmin, v));
    }
  }
  return out;
}

/** Mean over the middle axis of [outer, reduce, inner]: requant(sum(x - zpIn)) + zpOut, clamped. */
export function meanRef(x: Int8Array, outer: number, reduce: number, inner: number, zpIn: number, m0: number, shift: number, zpOut: number, qmin: number, qmax: number): Int8Array {
  const out = new Int8Array(outer * inner);
  for (let o = 0; o < outer; o++) for (let i = 0; i < inner; i++) {
    let acc = 0;
    for (let r = 0; r < reduce; r++) acc += x[(o * reduce + r) * inner + i] - zpIn;
    out[o * inner + i] = requantRef(acc, m0, shift, zpOut, qmin, qmax);
  }
  return out;
}
