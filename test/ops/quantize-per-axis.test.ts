// Per-axis Quantize / Dequantize at a graph's float edges (ONNX QuantizeLinear / DequantizeLinear with a scale
// per channel), checked against the scalar formulas over seeded random shapes, axes and values, through the
// ops and through a session's float feeds and outputs of per-axis graph edges.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { loadModel } from '../../src/index.js';
import { writeModel } from '../../src/format/index.js';
import type { DType } from '../../src/format/model.js';
import { GraphBuilder } from '../runtime/build.js';
import { prng, type Rng } from '../ref/prng.js';
import { quantizeRef } from '../ref/elementwise.js';

interface AxisCase { shape: number[]; axis: number; scales: number[]; zps: number[]; dtype: DType }

function randomCase(rng: Rng): AxisCase {
  const shape = Array.from({ length: rng.int(1, 4) }, () => rng.int(1, 5));
  const axis = rng.int(0, shape.length - 1);
  const dtype: DType = rng.int(0, 1) === 0 ? 'int8' : 'uint8';
  const [lo, hi] = dtype === 'int8' ? [-128, 127] : [0, 255];
  const scales = Array.from({ length: shape[axis]! }, () => Math.fround(0.01 + rng.float() * 0.5));
  const zps = Array.from({ length: shape[axis]! }, () => rng.int(lo, hi));
  return { shape, axis, scales, zps, dtype };
}

/** Index along `axis` of element i of a row-major tensor. */
const channel = (c: AxisCase, i: number) => Math.floor(i / c.shape.slice(c.axis + 1).reduce((a, b) => a * b, 1)) % c.shape[c.axis]!;

function expectedQ(c: AxisCase, x: Float32Array, even: boolean): number[] {
  const [lo, hi] = c.dtype === 'int8' ? [-128, 127] : [0, 255];
  return Array.from(x, (v, i) => quantizeRef(v, c.scales[channel(c, i)]!, c.zps[channel(c, i)]!, lo, hi, even));
}
const expectedF = (c: AxisCase, q: ArrayLike<number>) => Array.from(q, (v, i) => Math.fround(c.scales[channel(c, i)]! * (v - c.zps[channel(c, i)]!)));

function randomFloats(rng: Rng, c: AxisCase, n: number): Float32Array {
  // some exact ties (k + 0.5 steps) so the rounding matters
  return Float32Array.from({ length: n }, (_, i) => {
    const s = c.scales[channel(c, i)]!;
    return Math.fround(rng.int(0, 3) === 0 ? (rng.int(-140, 140) + 0.5) * s : rng.normal() * 60 * s);
  });
}

const count = (shape: number[]) => shape.reduce((a, b) => a * b, 1);

test('Quantize (half-even) -> per-axis 8-bit output -> Dequantize, per element as the formulas', async () => {
  const rng = prng(41);
  for (let k = 0; k < 60; k++) {
    const c = randomCase(rng);
    const g = new GraphBuilder();
    const x = g.input('x', c.shape, 'float32');
    const q = g.tensor('q', c.shape, c.dtype, { scale: c.scales, zeroPoint: c.zps, axis: c.axis });
    const y = g.tensor('y', c.shape, 'float32');
    g.op('Quantize', [x], [q], { rounding: 'half-even' });
    g.op('Dequantize', [q], [y], {});
    const model = g.build(q, y);
    const session = await (await loadModel(k % 2 ? writeModel(model) : model)).createSession();
    const feed = randomFloats(rng, c, count(c.shape));
    const out = await session.run({ x: feed }, { raw: true });
    const wantQ = expectedQ(c, feed, true);
    const what = `${JSON.stringify(c)}`;
    assert.equal(Array.from(out.q as ArrayLike<number>), wantQ, `q of ${what}`);
    assert.equal(Array.from(out.y as Float32Array), expectedF(c, wantQ), `y of ${what}`);
    // the per-axis graph output read as float: the session dequantizes it per channel
    const asFloat = await session.run({ x: feed });
    assert.equal(Array.from(asFloat.q as Float32Array), expectedF(c, wantQ), `q as float of ${what}`);
    session.release();
  }
});

test('a per-axis graph input read by Dequantize takes raw 8-bit data and float data (half away from zero)', async () => {
  const rng = prng(42);
  for (let k = 0; k < 60; k++) {
    const c = randomCase(rng);
    const g = new GraphBuilder();
    const x = g.input('x', c.shape, c.dtype, { scale: c.scales, zeroPoint: c.zps, axis: c.axis });
    const y = g.tensor('y', c.shape, 'float32');
    g.op('Dequantize', [x], [y], {});
    const session = await (await loadModel(g.build(y))).createSession();
    const n = count(c.shape);
    const [lo, hi] = c.dtype === 'int8' ? [-128, 127] : [0, 255];
    const raw = Array.from({ length: n }, () => rng.int(lo, hi));
    const rawOut = await session.run({ x: c.dtype === 'int8' ? Int8Array.from(raw) : Uint8Array.from(raw) });
    assert.equal(Array.from(rawOut.y as Float32Array), expectedF(c, raw), JSON.stringify(c));
    const feed = randomFloats(rng, c, n);
    const floatOut = await session.run({ x: feed });
    assert.equal(Array.from(floatOut.y as Float32Array), expectedF(c, expectedQ(c, feed, false)), `float feed, ${JSON.stringify(c)}`);
    session.release();
  }
});

test.run();
