// Plain scalar references for the elementwise kernels, written from the formulas (QUANTIZATION.md §3, TFLite).
import { requantRef } from './requant.js';

/** NumPy broadcasting by index arithmetic: f(a[ia], b[ib]) for every output element, row-major. */
export function broadcastRef(a: Int8Array, shapeA: number[], b: Int8Array, shapeB: number[], f: (x: number, y: number) => number): { out: Int8Array; shape: number[] } {
  const rank = Math.max(shapeA.length, shapeB.length);
  const pa = [...Array(rank - shapeA.length).fill(1), ...shapeA], pb = [...Array(rank - shapeB.length).fill(1), ...shapeB];
  const shape = pa.map((d, i) => Math.max(d, pb[i]));
  const size = shape.reduce((p, d) => p * d, 1);
  const out = new Int8Array(size);
  const idx = new Array(rank).fill(0);
  for (let o = 0; o < size; o++) {
    let rem = o;
    for (let i = rank - 1; i >= 0; i--) { idx[i] = rem % shape[i]; rem = Math.floor(rem / shape[i]); }
    let ia = 0, ib = 0;
    for (let i = 0; i < rank; i++) {
      ia = ia * pa[i] + (pa[i] === 1 ? 0 : idx[i]);
      ib = ib * pb[i] + (pb[i] === 1 ? 0 : idx[i]);
    }
    out[o] = f(a[ia], b[ib]);
  }
  return { out, shape };
}

/** TFLite int8 Add on one pair of values. */
export function addOneRef(x: number, y: number, p: { zpA: number; zpB: number; zpOut: number; mA: number; shiftA: number; mB: number; shiftB: number; mOut: number; shiftOut: number }, qmin: number, qmax: number): number {
  const sa = requantRef((x - p.zpA) * 2 ** 20, p.mA, p.shiftA, 0, -(2 ** 31), 2 ** 31 - 1);
  const sb = requantRef((y - p.zpB) * 2 ** 20, p.mB, p.shiftB, 0, -(2 ** 31), 2 ** 31 - 1);
  return requantRef(sa + sb, p.mOut, p.shiftOut, p.zpOut, qmin, qmax);
}

/** TFLite int8 Mul on one pair of values. */
export function mulOneRef(x: number, y: number, p: { zpA: number; zpB: number; zpOut: number; mOut: number; shiftOut: number }, qmin: number, qmax: number): number {
  return requantRef((x - p.zpA) * (y - p.zpB), p.mOut, p.shiftOut, p.zpOut, qmin, qmax);
}

/** table[byte] = clamp(round_half_away(f(sIn * (q - zpIn)) / sOut) + zpOut), q the byte as int8 or uint8. */
export function lutRef(f: (x: number) => number, sIn: number, zpIn: number, inSigned: boolean, sOut: number, zpOut: number, outSigned: boolean): Uint8Array {
  const t = new Uint8Array(256);
  const [lo, hi] = outSigned ? [-128, 127] : [0, 255];
  for (let byte = 0; byte < 256; byte++) {
    const q = inSigned ? (byte << 24) >> 24 : byte;
    const y = f(sIn * (q - zpIn)) / sOut;
    const r = Number.isNaN(y) ? 0 : roundAwayRef(y);
    t[byte] = Math.min(hi, Math.max(lo, r + zpOut)) & 0xff;
  }
  return t;
}

/** Round half away from zero from the fraction, which is exact in floating point. */
export function roundAwayRef(y: number): number {
  if (!Number.isFinite(y)) return y;
  const t = Math.trunc(y);
  return Math.abs(y - t) >= 0.5 ? t + Math.sign(y) : t;
}

/** Ties-to-even rounding of a double (the wasm f32.nearest of an f32 value). */
export function roundEvenRef(y: number): number {
  if (!Number.isFinite(y)) return y;
  const f = Math.floor(y), d = y - f;
  if (d < 0.5) return f;
  if (d > 0.5) return f + 1;
  return f % 2 === 0 ? f : f + 1;
}

/** The softmax algorithm of assembly/elementwise/softmax.ts, step by step, with Math.fround for every f32 op. */
export function softmaxRef(x: Int8Array, rows: number, length: number, beta: number, inputScale: number): Int8Array {
  const out = new Int8Array(rows * length);
  for (let r = 0; r < rows; r++) {
    const row = x.subarray(r * length, (r + 1) * length);
    const m = Math.max(...row);
    const e = Array.from(row, (v) => Math.fround(Math.exp(beta * inputScale * (v - m))));
    let sum = 0;
    for (const v of e) sum = Math.fround(sum + v);
    const inv = Math.fround(256 / sum);
    e.forEach((v, i) => { out[r * length + i] = Math.min(roundEvenRef(Math.fround(v * inv)), 255) - 128; });
  }
  return out;
}

/** 8-bit requantization of one value: clamp(zpOut + MBQM(q - zpIn, M)). */
export function requantize8Ref(q: number, zpIn: number, m0: number, shift: number, zpOut: number, qmin: number, qmax: number): number {
  return requantRef(q - zpIn, m0, shift, zpOut, qmin, qmax);
}

/** Concatenation by coordinates: output element -> (input, coordinate along the axis) -> f(input, value). */
export function concatRef(inputs: { data: Uint8Array; shape: number[] }[], axis: number, f: (input: number, byte: number) => number): Uint8Array {
  const rank = inputs[0].shape.length;
  const outShape = [...inputs[0].shape];
  outShape[axis] = inputs.reduce((a, x) => a + x.shape[axis], 0);
  const size = outShape.reduce((a, b) => a * b, 1);
  const out = new Uint8Array(size);
  const idx = new Array(rank).fill(0);
  for (let o = 0; o < size; o++) {
    let rem = o;
    for (let i = rank - 1; i >= 0; i--) { idx[i] = rem % outShape[i]; rem = Math.floor(rem / outShape[i]); }
    let n = 0, c = idx[axis];
    while (c >= inputs[n].shape[axis]) { c -= inputs[n].shape[axis]; n++; }
    let flat = 0;
    for (let i = 0; i < rank; i++) flat = flat * inputs[n].shape[i] + (i === axis ? c : idx[i]);
    out[o] = f(n, inputs[n].data[flat]) & 0xff;
  }
  return out;
}

/** Constant pad by coordinates. */
export function padRef(x: Uint8Array, shape: number[], pads: number[], value: number): Uint8Array {
  const rank = shape.length;
  const outShape = shape.map((d, i) => d + pads[2 * i] + pads[2 * i + 1]);
  const size = outShape.reduce((a, b) => a * b, 1);
  const out = new Uint8Array(size);
  for (let o = 0; o < size; o++) {
    let rem = o, flat = 0, inside = true;
    const idx = new Array(rank);
    for (let i = rank - 1; i >= 0; i--) { idx[i] = rem % outShape[i]; rem = Math.floor(rem / outShape[i]); }
    for (let i = 0; i < rank; i++) {
      const y = idx[i] - pads[2 * i];
      if (y < 0 || y >= shape[i]) inside = false;
      flat = flat * shape[i] + y;
    }
    out[o] = inside ? x[flat] : value & 0xff;
  }
  return out;
}

/** Quantize one f32: clamp(round(f32(x / s)) + zp), NaN -> zp; round half away or half even. */
export function quantizeRef(x: number, s: number, zp: number, qmin: number, qmax: number, even: boolean): number {
  const v = Math.fround(x / s);
  if (Number.isNaN(v)) return zp;
  const r = even ? roundEvenRef(v) : roundAwayRef(v);
  return Math.min(qmax, Math.max(qmin, r + zp));
}
