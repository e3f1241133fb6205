import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Model } from '../../../src/format/model.js';
import { verifyModel } from '../../../src/format/index.js';
import { symmetrizeUint8Weights } from '../../../src/convert/tflite/symmetric-weights.js';
import { prng } from '../../ref/prng.js';

/** A uint8 conv [1,4,4,2] -> [1,4,4,3] with 1x1 weights, zero point `zp`, and a per-tensor int32 bias. */
function uint8Conv(weights: number[], zp: number, bias: number[]): Model {
  const q = (s: number, z: number) => ({ scales: Float32Array.of(s), zeroPoints: Int32Array.of(z), axis: -1 });
  return {
    version: 1,
    tensors: [
      { name: 'x', shape: [1, 4, 4, 2], dtype: 'uint8', quant: q(0.02, 128) },
      { name: 'w', shape: [3, 1, 1, 2], dtype: 'uint8', quant: q(0.01, zp), buffer: 0 },
      { name: 'b', shape: [3], dtype: 'int32', quant: q(0.02 * 0.01, 0), buffer: 1 },
      { name: 'y', shape: [1, 4, 4, 3], dtype: 'uint8', quant: q(0.05, 10) },
    ],
    buffers: [Uint8Array.from(weights), new Uint8Array(Int32Array.from(bias).buffer)],
    ops: [{ kind: 'Conv2D', inputs: [0, 1, 2], outputs: [3], options: { padTop: 0, padBottom: 0, padLeft: 0, padRight: 0, strideH: 1, strideW: 1, dilationH: 1, dilationW: 1, activation: 'none' } }],
    inputs: [0],
    outputs: [3],
    metadata: { producer: 'test' },
  };
}

test('channels that fit [-127, 127] stay exact; wider ones are rescaled within half a new step; biases follow', () => {
  // zp 100: channel 0 spans q - zp in [-100, 20] (fits), channel 1 [-90, 155] (too wide), channel 2 [0, 0]
  const model = uint8Conv([0, 120, 10, 255, 100, 100], 100, [1000, -2000, 7]);
  const before = JSON.stringify(model, (_, v) => (ArrayBuffer.isView(v) ? Array.from(v as Uint8Array) : v));
  const { model: m, rescaledChannels, totalChannels } = symmetrizeUint8Weights(model);
  assert.is(JSON.stringify(model, (_, v) => (ArrayBuffer.isView(v) ? Array.from(v as Uint8Array) : v)), before, 'input untouched');
  assert.equal([rescaledChannels, totalChannels], [1, 3]);
  const w = m.tensors[1];
  assert.is(w.dtype, 'int8');
  assert.equal(w.quant!.zeroPoints, new Int32Array(3));
  assert.is(w.quant!.axis, 0);
  const s = Math.fround(0.01), s1 = Math.fround((s * 155) / 127);
  assert.equal(Array.from(w.quant!.scales), [s, s1, s]);
  const data = new Int8Array(m.buffers[w.buffer!].buffer);
  assert.equal([data[0], data[1], data[4], data[5]], [-100, 20, 0, 0]);
  assert.equal([data[2], data[3]], [Math.round((-90 * s) / s1), 127]);
  // real weights agree within half of the new step
  const orig = [0, 120, 10, 255, 100, 100];
  for (let i = 0; i < 6; i++) assert.ok(Math.abs(data[i] * w.quant!.scales[i >> 1] - (orig[i] - 100) * s) <= w.quant!.scales[i >> 1] / 2 + 1e-12);
  const b = m.tensors[2];
  const bias = new Int32Array(m.buffers[b.buffer!].slice().buffer);
  assert.equal(Array.from(b.quant!.scales), [Math.fround(0.02) * s, Math.fround(0.02) * s1, Math.fround(0.02) * s].map(Math.fround));
  assert.equal(Array.from(bias), [1000, Math.round((-2000 * Math.fround(0.02 * 0.01)) / b.quant!.scales[1]), 7]);
  verifyModel(m);
});

test('random uint8 weights: every real weight within half a step of the original', () => {
  const r = prng(12);
  for (let trial = 0; trial < 50; trial++) {
    const zp = r.int(0, 255);
    const weights = Array.from({ length: 6 }, () => r.int(0, 255));
    const { model: m } = symmetrizeUint8Weights(uint8Conv(weights, zp, [r.int(-5000, 5000), 0, 3]));
    const w = m.tensors[1], data = new Int8Array(m.buffers[w.buffer!].buffer);
    for (let i = 0; i < 6; i++) {
      const step = w.quant!.scales[i >> 1];
      assert.ok(Math.abs(data[i]) <= 127);
      assert.ok(Math.abs(data[i] * step - (weights[i] - zp) * Math.fround(0.01)) <= step / 2 + 1e-9, `zp ${zp} w ${weights}`);
    }
  }
});

test.run();
