// float64 references for the f32 kernels, written from the definitions. Each returns the exact (float64) result
// of the float32 inputs and, per output, the sum of |terms| (bias included) that bounds the kernel's rounding:
// a float32 sum of n products differs from the exact one by at most about n * 2^-24 * sum |terms|.
import type { ConvGeometry } from '../../src/runtime/kernels/dwconv.js';
import { forEachDepthwiseTap } from './dwconv.js';

export interface F32Ref {
  out: Float64Array;
  magnitude: Float64Array;
}

function finish(r: F32Ref, bias: Float32Array | undefined, channels: number, min: number, max: number): F32Ref {
  for (let o = 0; o < r.out.length; o++) {
    const b = bias ? bias[o % channels] : 0;
    r.out[o] = Math.min(max, Math.max(min, r.out[o] + b));
    r.magnitude[o] += Math.abs(b);
  }
  return r;
}

/** C[m][n] = clamp(sum_k A[m][k] W[n][k] + bias[n]) with A rows lda apart. */
export function gemmF32Ref(a: Float32Array, lda: number, w: Float32Array, bias: Float32Array | undefined, m: number, n: number, k: number, min: number, max: number): F32Ref {
  const r = { out: new Float64Array(m * n), magnitude: new Float64Array(m * n) };
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) {
    let s = 0, mag = 0;
    for (let q = 0; q < k; q++) {
      const t = a[i * lda + q] * w[j * k + q];
      s += t;
      mag += Math.abs(t);
    }
    r.out[i * n + j] = s;
    r.magnitude[i * n + j] = mag;
  }
  return finish(r, bias, n, min, max);
}

/** NHWC conv2d with OHWI weights, padded taps 0. */
export function convF32Ref(g: ConvGeometry, x: Float32Array, w: Float32Array, bias: Float32Array | undefined, min: number, max: number): F32Ref {
  const size = g.batch * g.outH * g.outW * g.outC;
  const r = { out: new Float64Array(size), magnitude: new Float64Array(size) };
  for (let n = 0; n < g.batch; n++) for (let oy = 0; oy < g.outH; oy++) for (let ox = 0; ox < g.outW; ox++) {
    const o = ((n * g.outH + oy) * g.outW + ox) * g.outC;
    for (let ky = 0; ky < g.kH; ky++) for (let kx = 0; kx < g.kW; kx++) {
      const iy = oy * g.strideH - g.padTop + ky * g.dilationH;
      const ix = ox * g.strideW - g.padLeft + kx * g.dilationW;
      if (iy < 0 || iy >= g.inH || ix < 0 || ix >= g.inW) continue;
      const xi = ((n * g.inH + iy) * g.inW + ix) * g.inC;
      for (let oc = 0; oc < g.outC; oc++) {
        const wi = ((oc * g.kH + ky) * g.kW + kx) * g.inC;
        for (let ic = 0; ic < g.inC; ic++) {
          const t = x[xi + ic] * w[wi + ic];
          r.out[o + oc] += t;
          r.magnitude[o + oc] += Math.abs(t);
        }
      }
    }
  }
  return finish(r, bias, g.outC, min, max);
}

/** Depthwise conv with 1HWC weights ([taps][outC]), output channel oc reading input channel oc / multiplier. */
export function depthwiseF32Ref(g: ConvGeometry, x: Float32Array, w: Float32Array, bias: Float32Array | undefined, min: number, max: number): F32Ref {
  const size = g.batch * g.outH * g.outW * g.outC;
  const r = { out: new Float64Array(size), magnitude: new Float64Array(size) };
  forEachDepthwiseTap(g, (o, oc, t, i) => {
    if (i < 0) return;
    const term = x[i] * w[t * g.outC + oc];
    r.out[o] += term;
    r.magnitude[o] += Math.abs(term);
  });
  return finish(r, bias, g.outC, min, max);
}
