// Seeded random single-op float32 models and feeds for the float op tests: shapes, strides, paddings,
// dilations, broadcasts and fused activations drawn from a PRNG; data standard normal.
import type { Activation, Model, OpKind } from '../../src/format/model.js';
import { GraphBuilder } from '../runtime/build.js';
import { type Rng, randomFloat32, randomInt8 } from '../ref/prng.js';

export interface FloatCase {
  model: Model;
  feeds: Float32Array[];
  describe: string;
}

const count = (s: number[]): number => s.reduce((a, b) => a * b, 1);
const act = (rng: Rng): Activation => rng.pick(['none', 'relu', 'relu6'] as const);

/** A one-op model: input x of `shape` (plus extra inputs), the op, output y. */
function single(rng: Rng, shapes: number[][], outShape: number[], build: (g: GraphBuilder, xs: number[], y: number) => void): FloatCase['model'] & { feeds: Float32Array[] } {
  const g = new GraphBuilder();
  const xs = shapes.map((s, i) => g.input(`x${i}`, s, 'float32'));
  const y = g.tensor('y', outShape, 'float32');
  build(g, xs, y);
  return Object.assign(g.build(y), { feeds: shapes.map((s) => randomFloat32(rng, count(s), 2)) });
}

function finish(m: Model & { feeds: Float32Array[] }, describe: string): FloatCase {
  const { feeds, ...model } = m;
  return { model, feeds, describe };
}

/** Weights as float32, or (weightOnly) int8 with per-channel scales along `axis`. */
function weights(rng: Rng, g: GraphBuilder, shape: number[], axis: number, weightOnly: boolean): number {
  const n = count(shape);
  if (!weightOnly) return g.tensor('w', shape, 'float32', undefined, randomFloat32(rng, n, 0.3));
  const scales = Array.from({ length: shape[axis] }, () => 0.002 + rng.float() * 0.01);
  return g.tensor('w', shape, 'int8', { scale: scales, axis }, randomInt8(rng, n, -127, 127));
}

export function convCase(rng: Rng, depthwise: boolean, weightOnly = false): FloatCase {
  for (;;) {
    const batch = rng.int(1, 2), inH = rng.int(1, 12), inW = rng.int(1, 12), inC = rng.int(1, depthwise ? 40 : 20);
    const mult = depthwise ? rng.pick([1, 1, 1, 2, 3]) : 1;
    const outC = depthwise ? inC * mult : rng.int(1, 24);
    const kH = rng.int(1, 5), kW = rng.int(1, 5);
    const strideH = rng.int(1, 3), strideW = rng.int(1, 3), dilationH = rng.pick([1, 1, 2]), dilationW = rng.pick([1, 1, 2]);
    const eh = (kH - 1) * dilationH + 1, ew = (kW - 1) * dilationW + 1;
    const padTop = rng.int(0, eh - 1), padBottom = rng.int(0, eh - 1), padLeft = rng.int(0, ew - 1), padRight = rng.int(0, ew - 1);
    const outH = Math.floor((inH + padTop + padBottom - eh) / strideH) + 1, outW = Math.floor((inW + padLeft + padRight - ew) / strideW) + 1;
    if (outH < 1 || outW < 1) continue;
    const a = act(rng), withBias = rng.int(0, 3) > 0;
    const options = { strideH, strideW, dilationH, dilationW, padTop, padBottom, padLeft, padRight, activation: a };
    const m = single(rng, [[batch, inH, inW, inC]], [batch, outH, outW, outC], (g, [x], y) => {
      const w = depthwise ? weights(rng, g, [1, kH, kW, outC], 3, weightOnly) : weights(rng, g, [outC, kH, kW, inC], 0, weightOnly);
      const inputs = [x, w];
      if (withBias) inputs.push(g.tensor('b', [outC], 'float32', undefined, randomFloat32(rng, outC)));
      if (depthwise) g.op('DepthwiseConv2D', inputs, [y], { ...options, depthMultiplier: mult });
      else g.op('Conv2D', inputs, [y], options);
    });
    return finish(m, `${depthwise ? 'dw' : 'conv'} ${batch}x${inH}x${inW}x${inC}->${outC} k${kH}x${kW} s${strideH}x${strideW} d${dilationH}x${dilationW} p${padTop},${padBottom},${padLeft},${padRight} ${a} bias=${withBias}`);
  }
}

export function fullyConnectedCase(rng: Rng, weightOnly = false): FloatCase {
  const m = rng.int(1, 6), k = rng.int(1, 90), n = rng.int(1, 40);
  const a = act(rng), withBias = rng.int(0, 3) > 0;
  const model = single(rng, [rng.int(0, 1) ? [m, k] : [m, 1, 1, k]], [m, n], (g, [x], y) => {
    const inputs = [x, weights(rng, g, [n, k], 0, weightOnly)];
    if (withBias) inputs.push(g.tensor('b', [n], 'float32', undefined, randomFloat32(rng, n)));
    g.op('FullyConnected', inputs, [y], { activation: a });
  });
  return finish(model, `fc m=${m} k=${k} n=${n} ${a} bias=${withBias}`);
}

function randomShape(rng: Rng): number[] {
  return Array.from({ length: rng.int(1, 4) }, () => rng.int(1, 7));
}

export function binaryCase(rng: Rng, kind: 'Add' | 'Mul'): FloatCase {
  const shape = randomShape(rng);
  const C = shape[shape.length - 1];
  const mode = rng.pick(['same', 'scalar', 'channel'] as const);
  // A broadcast b has at most a's rank: [1] / [C], or a's rank with ones before the last dim.
  const ones = shape.slice(0, -1).map(() => 1);
  const bShape = mode === 'same' ? shape : mode === 'scalar' ? rng.pick([[1], [...ones, 1]]) : rng.pick([[C], [...ones, C]]);
  const a = act(rng);
  // b may be a constant (batch-norm as Mul + Add), placed first when it has a's shape (the op commutes).
  const constant = rng.int(0, 2) === 0, first = constant && mode === 'same' && rng.int(0, 1) === 1;
  const model = single(rng, constant ? [shape] : [shape, bShape], shape, (g, xs, y) => {
    const b = constant ? g.tensor('b', bShape, 'float32', undefined, randomFloat32(rng, count(bShape), 2)) : xs[1];
    g.op(kind, first ? [b, xs[0]] : [xs[0], b], [y], { activation: a });
  });
  return finish(model, `${kind} [${shape}] b=[${bShape}]${constant ? ` constant${first ? ' first' : ''}` : ''} ${a}`);
}

export function poolCase(rng: Rng, kind: 'MaxPool2D' | 'AveragePool2D'): FloatCase {
  for (;;) {
    const batch = rng.int(1, 2), inH = rng.int(1, 12), inW = rng.int(1, 12), c = rng.int(1, 20);
    const filterH = rng.int(1, 5), filterW = rng.int(1, 5), strideH = rng.int(1, 3), strideW = rng.int(1, 3);
    const padTop = rng.int(0, filterH - 1), padBottom = rng.int(0, filterH - 1), padLeft = rng.int(0, filterW - 1), padRight = rng.int(0, filterW - 1);
    const outH = Math.floor((inH + padTop + padBottom - filterH) / strideH) + 1, outW = Math.floor((inW + padLeft + padRight - filterW) / strideW) + 1;
    if (outH < 1 || outW < 1 || (outH - 1) * strideH - padTop >= inH || (outW - 1) * strideW - padLeft >= inW) continue;
    const a = act(rng);
    const m = single(rng, [[batch, inH, inW, c]], [batch, outH, outW, c], (g, [x], y) =>
      g.op(kind, [x], [y], { filterH, filterW, strideH, strideW, padTop, padBottom, padLeft, padRight, activation: a }));
    return finish(m, `${kind} ${batch}x${inH}x${inW}x${c} f${filterH}x${filterW} s${strideH}x${strideW} p${padTop},${padBottom},${padLeft},${padRight} ${a}`);
  }
}

export function meanCase(rng: Rng): FloatCase {
  const shape = [rng.int(1, 2), rng.int(1, 9), rng.int(1, 9), rng.int(1, 30)];
  const axes = rng.pick([[1, 2], [1, 2], [1], [2], [3], [2, 3], [-3, -2]]);
  const keepDims = rng.int(0, 1) === 1;
  const norm = axes.map((a) => (a < 0 ? a + 4 : a));
  const outShape = keepDims ? shape.map((d, i) => (norm.includes(i) ? 1 : d)) : shape.filter((_, i) => !norm.includes(i));
  return finish(single(rng, [shape], outShape, (g, [x], y) => g.op('Mean', [x], [y], { axes, keepDims })), `Mean [${shape}] axes=[${axes}] keep=${keepDims}`);
}

export function concatenationCase(rng: Rng): FloatCase {
  const shape = randomShape(rng);
  const axis = rng.int(0, shape.length - 1);
  const parts = Array.from({ length: rng.int(1, 4) }, () => shape.map((d, k) => (k === axis ? rng.int(1, 5) : d)));
  const out = shape.map((d, k) => (k === axis ? parts.reduce((s, p) => s + p[axis], 0) : d));
  const a = act(rng), negative = rng.int(0, 1) === 1;
  // Some pieces (never all) may be constants.
  const constant = parts.map((_, k) => k > 0 && rng.int(0, 2) === 0);
  const first = rng.int(0, parts.length - 1);
  if (constant[first]) [constant[0], constant[first]] = [constant[first], constant[0]];
  const model = single(rng, parts.filter((_, k) => !constant[k]), out, (g, xs, y) => {
    let next = 0;
    const pieces = parts.map((p, k) => (constant[k] ? g.tensor(`c${k}`, p, 'float32', undefined, randomFloat32(rng, count(p))) : xs[next++]));
    g.op('Concatenation', pieces, [y], { axis: negative ? axis - shape.length : axis, activation: a });
  });
  return finish(model, `Concatenation ${parts.map((p, k) => `[${p}]${constant[k] ? 'c' : ''}`).join('+')} axis=${axis} ${a}`);
}

export function padCase(rng: Rng): FloatCase {
  const shape = randomShape(rng);
  const pads = shape.flatMap(() => [rng.int(0, 3), rng.int(0, 3)]);
  const out = shape.map((d, k) => d + pads[2 * k] + pads[2 * k + 1]);
  return finish(single(rng, [shape], out, (g, [x], y) => g.op('Pad', [x], [y], { pads })), `Pad [${shape}] pads=[${pads}]`);
}

export function reshapeCase(rng: Rng): FloatCase {
  const shape = randomShape(rng);
  const out = [count(shape)];
  return finish(single(rng, [shape], out, (g, [x], y) => g.op('Reshape', [x], [y], {})), `Reshape [${shape}]`);
}

export function unaryCase(rng: Rng, kind: 'Softmax' | 'Logistic' | 'Tanh' | 'HardSwish' | 'LeakyRelu' | 'Relu' | 'Relu6'): FloatCase {
  const shape = randomShape(rng);
  const options = kind === 'Softmax' ? { beta: rng.pick([1, 0.5, 2.5]) } : kind === 'LeakyRelu' ? { alpha: rng.pick([0.01, 0.2, -0.5]) } : {};
  return finish(single(rng, [shape], shape, (g, [x], y) => g.op(kind as OpKind, [x], [y], options as never)), `${kind} [${shape}] ${JSON.stringify(options)}`);
}
