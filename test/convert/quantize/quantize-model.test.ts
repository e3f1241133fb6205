import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Model, TensorDef } from '../../../src/format/model.js';
import { quantizeModel } from '../../../src/convert/quantize/quantize-model.js';
import type { ClipRange } from '../../../src/convert/calibrate/methods.js';
import { ConvertError } from '../../../src/convert/errors.js';
import { prng, randomFloat32 } from '../../ref/prng.js';

const bytes = (a: Float32Array) => new Uint8Array(a.buffer);
const pad0 = { padTop: 0, padBottom: 0, padLeft: 0, padRight: 0 };

/** x[1,4,4,3] → conv 3x3 (8 ch, relu6) → depthwise 3x3 → maxpool 2x2 → mean → fc 5 → softmax */
function floatModel(seed: number): { model: Model; weights: Float32Array[] } {
  const r = prng(seed);
  const wConv = randomFloat32(r, 8 * 3 * 3 * 3, 0.5), bConv = randomFloat32(r, 8, 0.1);
  const wDw = randomFloat32(r, 3 * 3 * 8, 0.5);
  const wFc = randomFloat32(r, 5 * 8, 0.3), bFc = randomFloat32(r, 5, 0.1);
  wConv[5] = 2.5; // one channel with a much larger range than the others
  const t = (name: string, shape: number[], buffer?: number): TensorDef => ({ name, shape, dtype: 'float32', buffer });
  const model: Model = {
    version: 1,
    tensors: [
      t('x', [1, 4, 4, 3]), t('w_conv', [8, 3, 3, 3], 0), t('b_conv', [8], 1), t('conv', [1, 4, 4, 8]),
      t('w_dw', [1, 3, 3, 8], 2), t('dw', [1, 4, 4, 8]), t('pool', [1, 2, 2, 8]), t('mean', [1, 8]),
      t('w_fc', [5, 8], 3), t('b_fc', [5], 4), t('fc', [1, 5]), t('prob', [1, 5]),
    ],
    buffers: [bytes(wConv), bytes(bConv), bytes(wDw), bytes(wFc), bytes(bFc)],
    ops: [
      { kind: 'Conv2D', inputs: [0, 1, 2], outputs: [3], options: { ...pad0, padTop: 1, padBottom: 1, padLeft: 1, padRight: 1, strideH: 1, strideW: 1, dilationH: 1, dilationW: 1, activation: 'relu6' } },
      { kind: 'DepthwiseConv2D', inputs: [3, 4], outputs: [5], options: { ...pad0, padTop: 1, padBottom: 1, padLeft: 1, padRight: 1, strideH: 1, strideW: 1, dilationH: 1, dilationW: 1, activation: 'none', depthMultiplier: 1 } },
      { kind: 'MaxPool2D', inputs: [5], outputs: [6], options: { ...pad0, filterH: 2, filterW: 2, strideH: 2, strideW: 2, activation: 'none' } },
      { kind: 'Mean', inputs: [6], outputs: [7], options: { axes: [1, 2], keepDims: false } },
      { kind: 'FullyConnected', inputs: [7, 8, 9], outputs: [10], options: { activation: 'none' } },
      { kind: 'Softmax', inputs: [10], outputs: [11], options: { beta: 1 } },
    ],
    inputs: [0],
    outputs: [11],
    metadata: { producer: 'test' },
  };
  return { model, weights: [wConv, bConv, wDw, wFc, bFc] };
}

const ranges = new Map<number, ClipRange>([
  [0, { lo: -1, hi: 1 }], [3, { lo: 0, hi: 6 }], [5, { lo: -3, hi: 4 }], [7, { lo: -2, hi: 3 }], [10, { lo: -5, hi: 5 }],
]);

test('weights become symmetric per-channel int8 within half a step of the float values', () => {
  const { model, weights } = floatModel(1);
  const q = quantizeModel(model, ranges);
  const w = q.tensors[1];
  assert.is(w.dtype, 'int8');
  assert.is(w.quant!.axis, 0);
  assert.is(w.quant!.scales.length, 8);
  const data = new Int8Array(q.buffers[w.buffer!].buffer, q.buffers[w.buffer!].byteOffset, q.buffers[w.buffer!].byteLength);
  for (let i = 0; i < data.length; i++) {
    const s = w.quant!.scales[Math.floor(i / 27)];
    assert.ok(data[i] >= -127 && data[i] <= 127);
    assert.ok(Math.abs(data[i] * s - weights[0][i]) <= s / 2 + 1e-7, `weight ${i}`);
  }
  // the channel holding 2.5 has its own, larger scale
  assert.ok(Math.abs(w.quant!.scales[0] - 2.5 / 127) < 1e-7);
  assert.ok(w.quant!.scales[1] < w.quant!.scales[0]);
  // depthwise weights are quantized along their last axis
  assert.is(q.tensors[4].quant!.axis, 3);
  assert.is(q.tensors[4].quant!.scales.length, 8);
});

test('biases are int32 in units of s_in * s_w[c], their derivable scales not stored', () => {
  const { model, weights } = floatModel(2);
  const q = quantizeModel(model, ranges);
  const b = q.tensors[2], w = q.tensors[1], x = q.tensors[0];
  assert.is(b.dtype, 'int32');
  assert.is(b.quant, undefined);
  const data = new Int32Array(q.buffers[b.buffer!].slice().buffer);
  for (let c = 0; c < 8; c++) {
    const s = x.quant!.scales[0] * w.quant!.scales[c];
    assert.ok(Math.abs(data[c] * s - weights[1][c]) <= s / 2 + 1e-9);
  }
});

test('activations get asymmetric int8 parameters from their ranges; value-moving ops keep their input\'s', () => {
  const { model } = floatModel(3);
  const q = quantizeModel(model, ranges);
  const p = (t: number) => [q.tensors[t].quant!.scales[0], q.tensors[t].quant!.zeroPoints[0]];
  assert.is(q.tensors[0].dtype, 'int8');
  assert.equal(p(0), [Math.fround(2 / 255), -1]); // round(-128 + 127.5), half away from zero
  assert.equal(p(3), [Math.fround(6 / 255), -128]); // relu6 output: 0 maps to -128
  assert.equal(p(6), p(5)); // max pool shares its input's parameters
  assert.equal(p(11), [Math.fround(1 / 256), -128]); // softmax: TFLite's fixed output
  // every float constant is gone: weights int8, biases int32
  for (const t of q.tensors) if (t.buffer !== undefined) assert.ok(t.dtype === 'int8' || t.dtype === 'int32', t.name);
  // the input model is untouched
  assert.is(model.tensors[1].dtype, 'float32');
  assert.is(model.tensors[0].quant, undefined);
});

test('per-tensor weights use one scale for every channel', () => {
  const { model } = floatModel(4);
  const q = quantizeModel(model, ranges, { perChannel: false });
  const s = q.tensors[1].quant!.scales;
  assert.ok(s.every((v) => v === s[0]));
  assert.ok(Math.abs(s[0] - 2.5 / 127) < 1e-7);
});

test('weights-only keeps activations and biases float and needs no ranges', () => {
  const { model } = floatModel(5);
  const q = quantizeModel(model, new Map(), { weightsOnly: true });
  assert.is(q.tensors[0].dtype, 'float32');
  assert.is(q.tensors[3].dtype, 'float32');
  assert.is(q.tensors[1].dtype, 'int8');
  assert.is(q.tensors[2].dtype, 'float32');
  assert.is(q.buffers.length, 5);
});

test('a missing range is a typed error naming the tensor', () => {
  const { model } = floatModel(6);
  const partial = new Map(ranges);
  partial.delete(5);
  try {
    quantizeModel(model, partial);
    assert.unreachable();
  } catch (e) {
    assert.instance(e, ConvertError);
    assert.is((e as ConvertError).code, 'NO_RANGE');
    assert.match((e as Error).message, "'dw'");
  }
});

test.run();
