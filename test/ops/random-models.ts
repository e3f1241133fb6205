// Seeded random single-op models (and their feeds) for the op tests: shapes, strides, paddings, scales, zero
// points and fused activations drawn from a PRNG, with output scales chosen so that outputs use the int8 range.
import type { Activation, Model } from '../../src/format/model.js';
import { GraphBuilder, type Q } from '../runtime/build.js';
import { type Rng, randomInt8, randomInt32 } from '../ref/prng.js';

export interface Case {
  model: Model;
  feeds: (Int8Array | Uint8Array | Float32Array)[];
  describe: string;
}

export function logUniform(rng: Rng, lo: number, hi: number): number {
  return Math.fround(lo * (hi / lo) ** rng.float());
}

/** Activation parameters; legacy (uint8) models have zero points in [0, 255]. */
export function actQuant(rng: Rng, legacy = false): Q {
  const zp = rng.pick([-128, 0, 127, rng.int(-128, 127), rng.int(-20, 20)]);
  return { scale: logUniform(rng, 0.004, 0.3), zeroPoint: legacy ? zp + 128 : zp };
}

export function activation(rng: Rng): Activation {
  return rng.pick(['none', 'none', 'relu', 'relu6'] as const);
}

const scaleOf = (q: Q): number => q.scale as number;

/** Input of `shape` with random 8-bit data (uint8 for legacy models). */
function inputFeed(rng: Rng, g: GraphBuilder, shape: number[], q: Q, legacy = false): [number, Int8Array | Uint8Array] {
  const x = g.input('x', shape, legacy ? 'uint8' : 'int8', q);
  const data = randomInt8(rng, shape.reduce((a, b) => a * b, 1));
  return [x, legacy ? new Uint8Array(data.buffer) : data];
}

/**
 * Weights of `channels` output channels along `axis`: symmetric int8 (per channel, sometimes per tensor), or
 * for legacy models uint8 per tensor with a zero point anywhere in [0, 255]. Returns the tensor and its scales.
 */
function weightTensor(rng: Rng, g: GraphBuilder, shape: number[], channels: number, axis: number, legacy: boolean): [number, number[]] {
  const count = shape.reduce((a, b) => a * b, 1);
  if (legacy) {
    const scale = logUniform(rng, 0.001, 0.05);
    const data = Uint8Array.from(randomInt8(rng, count), (v) => v + 128);
    return [g.tensor('w', shape, 'uint8', { scale, zeroPoint: rng.pick([0, 255, 128, rng.int(0, 255)]) }, data), [scale]];
  }
  const perChannel = rng.int(0, 3) > 0;
  const sw = Array.from({ length: perChannel ? channels : 1 }, () => logUniform(rng, 0.001, 0.05));
  return [g.tensor('w', shape, 'int8', { scale: sw, axis: perChannel ? axis : -1 }, randomInt8(rng, count, -127, 127)), sw];
}

/** An optional int32 bias (scale s_in * s_w) of `channels` values. */
function biasTensor(rng: Rng, g: GraphBuilder, channels: number, sIn: number, sw: number[]): number[] {
  if (rng.int(0, 3) === 0) return [];
  return [g.tensor('b', [channels], 'int32', { scale: sw.map((s) => s * sIn), axis: sw.length > 1 ? 0 : -1 }, randomInt32(rng, channels, -20000, 20000))];
}

const mean = (v: number[]): number => v.reduce((a, b) => a + b, 0) / v.length;

export function fullyConnectedCase(rng: Rng): Case {
  const m = rng.int(1, 5), k = rng.int(1, 70), n = rng.int(1, 40);
  const legacy = rng.int(0, 4) === 0;
  const g = new GraphBuilder();
  const qIn = actQuant(rng, legacy);
  const flatInput = rng.int(0, 1) === 0;
  const [x, feed] = inputFeed(rng, g, flatInput ? [m, k] : [m, 1, 1, k], qIn, legacy);
  const [w, sw] = weightTensor(rng, g, [n, k], n, 0, legacy);
  const inputs = [x, w, ...biasTensor(rng, g, n, scaleOf(qIn), sw)];
  const qOut = { scale: Math.fround(scaleOf(qIn) * mean(sw) * Math.sqrt(k) * 60 * logUniform(rng, 0.25, 4)), zeroPoint: rng.int(0, 255) - (legacy ? 0 : 128) };
  const y = g.tensor('y', [m, n], legacy ? 'uint8' : 'int8', qOut);
  const act = activation(rng);
  g.op('FullyConnected', inputs, [y], { activation: act });
  return { model: g.build(y), feeds: [feed], describe: `fc m=${m} k=${k} n=${n} scales=${sw.length} bias=${inputs.length > 2} ${act}${legacy ? ' uint8' : ''}` };
}

export function poolCase(rng: Rng, kind: 'MaxPool2D' | 'AveragePool2D'): Case {
  for (;;) {
    const batch = rng.int(1, 2), inH = rng.int(1, 12), inW = rng.int(1, 12), c = rng.int(1, 40);
    const filterH = rng.int(1, Math.min(5, inH + 2)), filterW = rng.int(1, Math.min(5, inW + 2));
    const strideH = rng.int(1, 3), strideW = rng.int(1, 3);
    const padTop = rng.int(0, filterH - 1), padBottom = rng.int(0, filterH - 1), padLeft = rng.int(0, filterW - 1), padRight = rng.int(0, filterW - 1);
    const outH = Math.floor((inH + padTop + padBottom - filterH) / strideH) + 1;
    const outW = Math.floor((inW + padLeft + padRight - filterW) / strideW) + 1;
    if (outH < 1 || outW < 1 || (outH - 1) * strideH - padTop >= inH || (outW - 1) * strideW - padLeft >= inW) continue;
    const g = new GraphBuilder();
    const q = actQuant(rng);
    const [x, feed] = inputFeed(rng, g, [batch, inH, inW, c], q);
    const requant = rng.int(0, 3) === 0;
    const y = g.tensor('y', [batch, outH, outW, c], 'int8', requant ? actQuant(rng) : q);
    const act = activation(rng);
    g.op(kind, [x], [y], { filterH, filterW, strideH, strideW, padTop, padBottom, padLeft, padRight, activation: act });
    return { model: g.build(y), feeds: [feed], describe: `${kind} ${batch}x${inH}x${inW}x${c} f${filterH}x${filterW} s${strideH}x${strideW} p${padTop},${padBottom},${padLeft},${padRight} ${act}${requant ? ' requantized' : ''}` };
  }
}

export function meanCase(rng: Rng): Case {
  const shape = [rng.int(1, 2), rng.int(1, 9), rng.int(1, 9), rng.int(1, 40)];
  const axes = rng.pick([[1, 2], [1, 2], [1], [2], [3], [2, 3], [-3, -2]]);
  const keepDims = rng.int(0, 1) === 1;
  const norm = axes.map((a) => (a < 0 ? a + 4 : a));
  const outShape = keepDims ? shape.map((d, i) => (norm.includes(i) ? 1 : d)) : shape.filter((_, i) => !norm.includes(i));
  const g = new GraphBuilder();
  const qIn = actQuant(rng);
  const [x, feed] = inputFeed(rng, g, shape, qIn);
  const qOut = { scale: Math.fround(scaleOf(qIn) * logUniform(rng, 0.3, 3)), zeroPoint: rng.int(-128, 127) };
  const y = g.tensor('y', outShape, 'int8', qOut);
  g.op('Mean', [x], [y], { axes, keepDims });
  return { model: g.build(y), feeds: [feed], describe: `Mean [${shape}] axes [${axes}] keepDims=${keepDims}` };
}

/** Pads in [0, extent) on each side, so that every window overlaps the input. */
function pads(rng: Rng, extentH: number, extentW: number) {
  return { padTop: rng.int(0, extentH - 1), padBottom: rng.int(0, extentH - 1), padLeft: rng.int(0, extentW - 1), padRight: rng.int(0, extentW - 1) };
}

const outSize = (n: number, k: number, s: number, d: number, p0: number, p1: number): number => Math.floor((n + p0 + p1 - d * (k - 1) - 1) / s) + 1;

export function conv2dCase(rng: Rng): Case {
  for (;;) {
    const pointwise = rng.int(0, 3) === 0;
    const batch = rng.int(1, 2), inH = rng.int(1, 10), inW = rng.int(1, 10), cin = rng.int(1, 20), cout = rng.int(1, 24);
    const kH = pointwise ? 1 : rng.int(1, 5), kW = pointwise ? 1 : rng.int(1, 5);
    const strideH = pointwise ? 1 : rng.int(1, 3), strideW = pointwise ? 1 : rng.int(1, 3);
    const dilationH = pointwise ? 1 : rng.int(1, 2), dilationW = pointwise ? 1 : rng.int(1, 2);
    const p = pointwise ? { padTop: 0, padBottom: 0, padLeft: 0, padRight: 0 } : pads(rng, dilationH * (kH - 1) + 1, dilationW * (kW - 1) + 1);
    const outH = outSize(inH, kH, strideH, dilationH, p.padTop, p.padBottom), outW = outSize(inW, kW, strideW, dilationW, p.padLeft, p.padRight);
    if (outH < 1 || outW < 1) continue;
    const legacy = rng.int(0, 4) === 0;
    const g = new GraphBuilder();
    const qIn = actQuant(rng, legacy);
    const [x, feed] = inputFeed(rng, g, [batch, inH, inW, cin], qIn, legacy);
    const [w, sw] = weightTensor(rng, g, [cout, kH, kW, cin], cout, 0, legacy);
    const inputs = [x, w, ...biasTensor(rng, g, cout, scaleOf(qIn), sw)];
    const qOut = { scale: Math.fround(scaleOf(qIn) * mean(sw) * Math.sqrt(kH * kW * cin) * 60 * logUniform(rng, 0.25, 4)), zeroPoint: rng.int(0, 255) - (legacy ? 0 : 128) };
    const y = g.tensor('y', [batch, outH, outW, cout], legacy ? 'uint8' : 'int8', qOut);
    const act = activation(rng);
    g.op('Conv2D', inputs, [y], { ...p, strideH, strideW, dilationH, dilationW, activation: act });
    return { model: g.build(y), feeds: [feed], describe: `conv ${batch}x${inH}x${inW}x${cin} -> ${cout} k${kH}x${kW} s${strideH}x${strideW} d${dilationH}x${dilationW} p${Object.values(p)} ${act}${legacy ? ' uint8' : ''}` };
  }
}

export function depthwiseCase(rng: Rng): Case {
  for (;;) {
    const batch = rng.int(1, 2), inH = rng.int(1, 10), inW = rng.int(1, 10), inC = rng.int(1, 40), mult = rng.pick([1, 1, 1, 2, 3]);
    const kH = rng.int(1, 5), kW = rng.int(1, 5), strideH = rng.int(1, 3), strideW = rng.int(1, 3), dilationH = rng.int(1, 2), dilationW = rng.int(1, 2);
    const p = pads(rng, dilationH * (kH - 1) + 1, dilationW * (kW - 1) + 1);
    const outH = outSize(inH, kH, strideH, dilationH, p.padTop, p.padBottom), outW = outSize(inW, kW, strideW, dilationW, p.padLeft, p.padRight);
    if (outH < 1 || outW < 1) continue;
    const c = inC * mult;
    const legacy = rng.int(0, 4) === 0;
    const g = new GraphBuilder();
    const qIn = actQuant(rng, legacy);
    const [x, feed] = inputFeed(rng, g, [batch, inH, inW, inC], qIn, legacy);
    const [w, sw] = weightTensor(rng, g, [1, kH, kW, c], c, 3, legacy);
    const inputs = [x, w, ...biasTensor(rng, g, c, scaleOf(qIn), sw)];
    const qOut = { scale: Math.fround(scaleOf(qIn) * mean(sw) * Math.sqrt(kH * kW) * 60 * logUniform(rng, 0.25, 4)), zeroPoint: rng.int(0, 255) - (legacy ? 0 : 128) };
    const y = g.tensor('y', [batch, outH, outW, c], legacy ? 'uint8' : 'int8', qOut);
    const act = activation(rng);
    g.op('DepthwiseConv2D', inputs, [y], { ...p, strideH, strideW, dilationH, dilationW, depthMultiplier: mult, activation: act });
    return { model: g.build(y), feeds: [feed], describe: `dw ${batch}x${inH}x${inW}x${inC} x${mult} k${kH}x${kW} s${strideH}x${strideW} d${dilationH}x${dilationW} p${Object.values(p)} ${act}${legacy ? ' uint8' : ''}` };
  }
}

export function binaryCase(rng: Rng, kind: 'Add' | 'Mul'): Case {
  const [n, h, w, c] = [rng.int(1, 2), rng.int(1, 6), rng.int(1, 6), rng.int(1, 24)];
  const full = [n, h, w, c];
  // The format lets b be: the same shape, one value, or one value per channel ([.., C] with ones before).
  const shapeB = rng.pick([full, full, [c], [1, 1, 1, c], [1], [1, 1, 1, 1], [1, 1, c]]);
  const shapeA = full;
  const g = new GraphBuilder();
  const qa = actQuant(rng), qb = actQuant(rng);
  const constantB = rng.int(0, 2) === 0;
  const [a, feedA] = inputFeed(rng, g, shapeA, qa);
  const feeds = [feedA];
  const countB = shapeB.reduce((p, d) => p * d, 1);
  let b: number;
  if (constantB) b = g.tensor('b', shapeB, 'int8', qb, randomInt8(rng, countB));
  else {
    b = g.input('b', shapeB, 'int8', qb);
    feeds.push(randomInt8(rng, countB));
  }
  const sa = scaleOf(qa), sb = scaleOf(qb);
  const sOut = kind === 'Add' ? Math.max(sa, sb) * logUniform(rng, 0.5, 4) : sa * sb * 128 * logUniform(rng, 0.1, 4);
  const y = g.tensor('y', [n, h, w, c], 'int8', { scale: Math.fround(sOut), zeroPoint: rng.int(-128, 127) });
  const act = activation(rng);
  g.op(kind, [a, b], [y], { activation: act });
  return { model: g.build(y), feeds, describe: `${kind} [${shapeA}] with [${shapeB}]${constantB ? ' (constant)' : ''} ${act}` };
}

export type UnaryKind = 'Logistic' | 'Tanh' | 'HardSwish' | 'LeakyRelu' | 'Relu' | 'Relu6';

export function unaryCase(rng: Rng, kind: UnaryKind): Case {
  const shape = rng.pick([[rng.int(1, 300)], [1, rng.int(1, 7), rng.int(1, 7), rng.int(1, 40)]]);
  const g = new GraphBuilder();
  const qIn = actQuant(rng);
  const [x, feed] = inputFeed(rng, g, shape, qIn);
  const fixed: Record<string, Q> = { Logistic: { scale: 1 / 256, zeroPoint: -128 }, Tanh: { scale: 1 / 128, zeroPoint: 0 } };
  const same = (kind === 'Relu' || kind === 'Relu6') && rng.int(0, 1) === 0;
  const qOut = same ? qIn : fixed[kind] && rng.int(0, 1) === 0 ? fixed[kind] : actQuant(rng);
  const y = g.tensor('y', shape, 'int8', qOut);
  if (kind === 'LeakyRelu') g.op(kind, [x], [y], { alpha: rng.pick([0.1, 0.2, 0.01, Math.fround(rng.float())]) });
  else g.op(kind, [x], [y], {});
  return { model: g.build(y), feeds: [feed], describe: `${kind} [${shape}] ${same ? 'same quantization' : `out ${JSON.stringify(qOut)}`}` };
}

export function softmaxCase(rng: Rng): Case {
  const shape = rng.pick([[rng.int(1, 4), rng.int(1, 300)], [1, 1, rng.int(1, 3), rng.int(1, 1001)]]);
  const g = new GraphBuilder();
  const [x, feed] = inputFeed(rng, g, shape, actQuant(rng));
  const y = g.tensor('y', shape, 'int8', rng.int(0, 3) === 0 ? actQuant(rng) : { scale: 1 / 256, zeroPoint: -128 });
  const beta = rng.pick([1, 1, 0.5, Math.fround(0.1 + 2 * rng.float())]);
  g.op('Softmax', [x], [y], { beta });
  return { model: g.build(y), feeds: [feed], describe: `Softmax [${shape}] beta ${beta}` };
}

/** Quantize int8/uint8 -> int8/uint8 with new parameters (requantization). */
export function requantizeCase(rng: Rng): Case {
  const shape = [rng.int(1, 3), rng.int(1, 50)];
  const [inLegacy, outLegacy] = [rng.int(0, 1) === 1, rng.int(0, 1) === 1];
  const g = new GraphBuilder();
  const qIn = actQuant(rng, inLegacy);
  const [x, feed] = inputFeed(rng, g, shape, qIn, inLegacy);
  const qOut = rng.int(0, 3) === 0 ? { scale: qIn.scale, zeroPoint: (qIn.zeroPoint as number) + (inLegacy ? -128 : 128) * (inLegacy === outLegacy ? 0 : 1) } : actQuant(rng, outLegacy);
  const y = g.tensor('y', shape, outLegacy ? 'uint8' : 'int8', qOut);
  g.op('Quantize', [x], [y], {});
  return { model: g.build(y), feeds: [feed], describe: `Quantize ${inLegacy ? 'uint8' : 'int8'} ${JSON.stringify(qIn)} -> ${outLegacy ? 'uint8' : 'int8'} ${JSON.stringify(qOut)}` };
}

export function concatenationCase(rng: Rng): Case {
  const rank = rng.int(1, 4);
  const base = Array.from({ length: rank }, () => rng.int(1, 6));
  const axis = rng.int(-rank, rank - 1);
  const ax = axis < 0 ? axis + rank : axis;
  const g = new GraphBuilder();
  const qOut = actQuant(rng);
  const feeds: Int8Array[] = [];
  const inputs: number[] = [];
  const n = rng.int(1, 4);
  for (let i = 0; i < n; i++) {
    const shape = [...base];
    shape[ax] = rng.int(1, 5);
    const q = rng.int(0, 2) === 0 ? qOut : actQuant(rng);
    const data = randomInt8(rng, shape.reduce((a, b) => a * b, 1));
    if (i > 0 && rng.int(0, 4) === 0) inputs.push(g.tensor(`c${i}`, shape, 'int8', q, data));
    else {
      inputs.push(g.input(`x${i}`, shape, 'int8', q));
      feeds.push(data);
    }
  }
  const outShape = [...base];
  outShape[ax] = inputs.reduce((a, t) => a + g.tensors[t].shape[ax], 0);
  const y = g.tensor('y', outShape, 'int8', qOut);
  const act = activation(rng);
  g.op('Concatenation', inputs, [y], { axis, activation: act });
  return { model: g.build(y), feeds, describe: `Concatenation of ${n} on axis ${axis} -> [${outShape}] ${act}` };
}

export function padCase(rng: Rng): Case {
  const rank = rng.int(1, 5);
  const shape = Array.from({ length: rank }, () => rng.int(1, 6));
  const pads = Array.from({ length: 2 * rank }, () => (rng.int(0, 2) === 0 ? 0 : rng.int(0, 4)));
  const g = new GraphBuilder();
  const legacy = rng.int(0, 3) === 0;
  const q = actQuant(rng, legacy);
  const [x, feed] = inputFeed(rng, g, shape, q, legacy);
  const y = g.tensor('y', shape.map((d, i) => d + pads[2 * i] + pads[2 * i + 1]), legacy ? 'uint8' : 'int8', q);
  g.op('Pad', [x], [y], { pads });
  return { model: g.build(y), feeds: [feed], describe: `Pad [${shape}] by [${pads}]${legacy ? ' uint8' : ''}` };
}

/** Quantize float32 -> int8/uint8 at the input edge, with values at ties, out of range and non-finite. */
export function quantizeFloatCase(rng: Rng): Case {
  const n = rng.int(1, 100);
  const legacy = rng.int(0, 2) === 0;
  const q = actQuant(rng, legacy);
  const s = scaleOf(q);
  const g = new GraphBuilder();
  const x = g.input('x', [n], 'float32');
  const y = g.tensor('y', [n], legacy ? 'uint8' : 'int8', q);
  const rounding = rng.pick(['half-away', 'half-even'] as const);
  g.op('Quantize', [x], [y], { rounding });
  const special = [0, -0, Infinity, -Infinity, NaN, 0.5 * s, -0.5 * s, 2.5 * s, -1.5 * s, 1e30, -1e30, 200 * s];
  const feed = Float32Array.from({ length: n }, () => (rng.int(0, 3) === 0 ? rng.pick(special) : rng.normal() * 100 * s));
  return { model: g.build(y), feeds: [feed], describe: `Quantize float32 [${n}] -> ${legacy ? 'uint8' : 'int8'} ${JSON.stringify(q)} ${rounding}` };
}

/** Dequantize int8/uint8 -> float32 at the output edge. */
export function dequantizeCase(rng: Rng): Case {
  const shape = [rng.int(1, 3), rng.int(1, 60)];
  const legacy = rng.int(0, 2) === 0;
  const g = new GraphBuilder();
  const [x, feed] = inputFeed(rng, g, shape, actQuant(rng, legacy), legacy);
  const y = g.tensor('y', shape, 'float32');
  g.op('Dequantize', [x], [y], {});
  return { model: g.build(y), feeds: [feed], describe: `Dequantize [${shape}]${legacy ? ' uint8' : ''}` };
}
