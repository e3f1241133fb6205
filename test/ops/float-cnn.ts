// A small float CNN (and its weight-only twin) for the float graph and observer tests, and the tolerance the
// float32 chain is held to.
import * as assert from 'uvu/assert';
import type { Model } from '../../src/format/model.js';
import { GraphBuilder } from '../runtime/build.js';
import { randomFloat32, type Rng } from '../ref/prng.js';

export const count = (s: number[]): number => s.reduce((a, b) => a * b, 1);

/** Symmetric int8 per slice along `axis`: s = max|w| / 127, q = round(w / s), so |w - s q| <= s / 2. */
export function quantizeWeights(w: Float32Array, shape: number[], axis: number): { q: Int8Array; scales: number[] } {
  const inner = count(shape.slice(axis + 1)), slices = shape[axis];
  const scales = new Array<number>(slices).fill(0);
  w.forEach((v, i) => { const c = Math.floor(i / inner) % slices; scales[c] = Math.max(scales[c], Math.abs(v)); });
  const s = scales.map((m) => Math.fround(m > 0 ? m / 127 : 1));
  const q = Int8Array.from(w, (v, i) => Math.round(v / s[Math.floor(i / inner) % slices]));
  return { q, scales: s };
}

type WeightMode = 'float' | 'int8';

/** conv3x3+relu6 -> depthwise3x3 -> add -> maxpool2x2 -> mean -> fc -> softmax, on [1, 12, 12, 3]. */
export function smallCnn(rng: Rng, mode: WeightMode = 'float'): Model {
  const g = new GraphBuilder();
  const w = (name: string, shape: number[], axis: number, data: Float32Array): number => {
    if (mode === 'float') return g.tensor(name, shape, 'float32', undefined, data);
    const { q, scales } = quantizeWeights(data, shape, axis);
    return g.tensor(name, shape, 'int8', { scale: scales, axis }, q);
  };
  const b = (name: string, n: number): number => g.tensor(name, [n], 'float32', undefined, randomFloat32(rng, n, 0.1));
  const conv = { strideH: 1, strideW: 1, dilationH: 1, dilationW: 1, padTop: 1, padBottom: 1, padLeft: 1, padRight: 1 };
  const x = g.input('image', [1, 12, 12, 3], 'float32');
  const c1 = g.tensor('conv1', [1, 12, 12, 8], 'float32');
  g.op('Conv2D', [x, w('conv1/w', [8, 3, 3, 3], 0, randomFloat32(rng, 216, 0.3)), b('conv1/b', 8)], [c1], { ...conv, activation: 'relu6' }, 'conv1');
  const d1 = g.tensor('dw1', [1, 12, 12, 8], 'float32');
  g.op('DepthwiseConv2D', [c1, w('dw1/w', [1, 3, 3, 8], 3, randomFloat32(rng, 72, 0.3)), b('dw1/b', 8)], [d1], { ...conv, activation: 'none', depthMultiplier: 1 }, 'dw1');
  const sum = g.tensor('add', [1, 12, 12, 8], 'float32');
  g.op('Add', [c1, d1], [sum], { activation: 'relu' }, 'residual');
  const pool = g.tensor('pool', [1, 6, 6, 8], 'float32');
  g.op('MaxPool2D', [sum], [pool], { filterH: 2, filterW: 2, strideH: 2, strideW: 2, padTop: 0, padBottom: 0, padLeft: 0, padRight: 0, activation: 'none' });
  const gap = g.tensor('gap', [1, 8], 'float32');
  g.op('Mean', [pool], [gap], { axes: [1, 2], keepDims: false });
  const logits = g.tensor('logits', [1, 10], 'float32');
  g.op('FullyConnected', [gap, w('fc/w', [10, 8], 0, randomFloat32(rng, 80, 1)), b('fc/b', 10)], [logits], { activation: 'none' }, 'fc');
  const probs = g.tensor('probs', [1, 10], 'float32');
  g.op('Softmax', [logits], [probs], { beta: 1 });
  return g.build(probs);
}

/** |got - want| <= 1e-4 * (1 + max |want|): the float32 chain's rounding, stated per tensor. */
export function expectClose(got: Float32Array, want: Float32Array, label: string): void {
  assert.is(got.length, want.length, `${label}: length`);
  const tol = 1e-4 * (1 + want.reduce((m, v) => Math.max(m, Math.abs(v)), 0));
  for (let i = 0; i < want.length; i++) {
    if (!(Math.abs(got[i] - want[i]) <= tol)) assert.unreachable(`${label}[${i}] = ${got[i]}, reference ${want[i]} (tolerance ${tol})`);
  }
}
