// Seeded random single-op models (and their feeds) for the op tests: shapes, strides, paddings, scales, zero
// points and fused activations drawn from a PRNG, with output scales chosen so that outputs use the int8 range.
import type { Activation, Model } from '../../src/format/model.js';
import { GraphBuilder, type Q } from '../runtime/build.js';
import { type Rng, randomInt8, randomInt32 } from '../ref/prng.js';

export interface Case {
  model: Model;
  feeds: Int8Array[];
  describe: string;
}

export function logUniform(rng: Rng, lo: number, hi: number): number {
  return Math.fround(lo * (hi / lo) ** rng.float());
}

export function actQuant(rng: Rng): Q {
  return { scale: logUniform(rng, 0.004, 0.3), zeroPoint: rng.pick([-128, 0, 127, rng.int(-128, 127), rng.int(-20, 20)]) };
}

export function activation(rng: Rng): Activation {
  return rng.pick(['none', 'none', 'relu', 'relu6'] as const);
}

const scaleOf = (q: Q): number => q.scale as number;

/** Input of `shape` with random int8 data. */
function inputFeed(rng: Rng, g: GraphBuilder, shape: number[], q: Q): [number, Int8Array] {
  const x = g.input('x', shape, 'int8', q);
  return [x, randomInt8(rng, shape.reduce((a, b) => a * b, 1))];
}

export function fullyConnectedCase(rng: Rng): Case {
  const m = rng.int(1, 5), k = rng.int(1, 70), n = rng.int(1, 40);
  const g = new GraphBuilder();
  const qIn = actQuant(rng);
  const flatInput = rng.int(0, 1) === 0;
  const [x, feed] = inputFeed(rng, g, flatInput ? [m, k] : [m, 1, 1, k], qIn);
  const perChannel = rng.int(0, 3) > 0;
  const sw = Array.from({ length: perChannel ? n : 1 }, () => logUniform(rng, 0.001, 0.05));
  const w = g.tensor('w', [n, k], 'int8', { scale: sw, axis: perChannel ? 0 : -1 }, randomInt8(rng, n * k, -127, 127));
  const withBias = rng.int(0, 3) > 0;
  const inputs = [x, w];
  if (withBias) inputs.push(g.tensor('b', [n], 'int32', { scale: sw.map((s) => s * scaleOf(qIn)), axis: perChannel ? 0 : -1 }, randomInt32(rng, n, -20000, 20000)));
  const meanSw = sw.reduce((a, b) => a + b, 0) / sw.length;
  const qOut = { scale: Math.fround(scaleOf(qIn) * meanSw * Math.sqrt(k) * 60 * logUniform(rng, 0.25, 4)), zeroPoint: rng.int(-128, 127) };
  const y = g.tensor('y', [m, n], 'int8', qOut);
  const act = activation(rng);
  g.op('FullyConnected', inputs, [y], { activation: act });
  return { model: g.build(y), feeds: [feed], describe: `fc m=${m} k=${k} n=${n} perChannel=${perChannel} bias=${withBias} ${act}` };
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
    const y = g.tensor('y', [batch, outH, outW, c], 'int8', q);
    const act = activation(rng);
    g.op(kind, [x], [y], { filterH, filterW, strideH, strideW, padTop, padBottom, padLeft, padRight, activation: act });
    return { model: g.build(y), feeds: [feed], describe: `${kind} ${batch}x${inH}x${inW}x${c} f${filterH}x${filterW} s${strideH}x${strideW} p${padTop},${padBottom},${padLeft},${padRight} ${act}` };
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
