import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { importTflite } from '../../../src/convert/tflite/import.js';
import { tflitePadding, PADDING_SAME, PADDING_VALID } from '../../../src/convert/tflite/padding.js';
import { readTflite } from '../../../src/convert/tflite/schema.js';
import { ConvertError } from '../../../src/convert/errors.js';
import { verifyModel, writeModel, readModel } from '../../../src/format/index.js';
import { buildTflite, bytesOf, type Spec } from './build-tflite.js';
import { coralDir, CORAL_MODELS } from '../images/coral-data.js';
import { prng, randomInt8 } from '../../ref/prng.js';

test('SAME / VALID padding follows TFLite (odd pixel after, dilation widens the window)', () => {
  assert.equal(tflitePadding(PADDING_SAME, 224, 3, 2, 1), { out: 112, before: 0, after: 1 });
  assert.equal(tflitePadding(PADDING_SAME, 112, 3, 1, 1), { out: 112, before: 1, after: 1 });
  assert.equal(tflitePadding(PADDING_SAME, 10, 3, 1, 2), { out: 10, before: 2, after: 2 });
  assert.equal(tflitePadding(PADDING_SAME, 5, 1, 2, 1), { out: 3, before: 0, after: 0 });
  assert.equal(tflitePadding(PADDING_SAME, 8, 4, 3, 1), { out: 3, before: 1, after: 1 }); // total (3-1)*3+4-8 = 2
  assert.equal(tflitePadding(PADDING_SAME, 7, 4, 2, 1), { out: 4, before: 1, after: 2 }); // total 3
  assert.equal(tflitePadding(PADDING_VALID, 7, 7, 1, 1), { out: 1, before: 0, after: 0 });
  assert.equal(tflitePadding(PADDING_VALID, 4, 4, 2, 1), { out: 1, before: 0, after: 0 });
  assert.equal(tflitePadding(PADDING_VALID, 9, 3, 2, 2), { out: 3, before: 0, after: 0 });
});

const INT8 = 9, INT32 = 2, INT64 = 4;
const CONV = 3, PAD = 34, MEAN = 40, RESHAPE = 22, CONCAT = 2, SOFTMAX = 25;

/** int8 input [1,5,5,2] -> CONV SAME s2 (per-channel) -> PAD (int64) -> MEAN [1,2] keep -> RESHAPE -> CONCAT(x, x, -1) -> SOFTMAX */
function smallGraph() {
  const r = prng(4);
  const weights = randomInt8(r, 3 * 3 * 3 * 2, -127, 127);
  const bias = Int32Array.from([100, -2000, 7]);
  const act = (name: string, shape: number[], scale: number, zp: number) => ({ name, shape, type: INT8, scale: [scale], zeroPoint: [zp] });
  const spec: Spec = {
    tensors: [
      act('input', [1, 5, 5, 2], 0.05, -3), // 0
      { name: 'w', shape: [3, 3, 3, 2], type: INT8, data: bytesOf(weights), scale: [0.01, 0.02, 0.5], zeroPoint: [0, 0, 0], quantizedDimension: 0 }, // 1
      { name: 'b', shape: [3], type: INT32, data: bytesOf(bias), scale: [0.0005, 0.001, 0.025], zeroPoint: [0, 0, 0] }, // 2
      act('conv', [1, 3, 3, 3], 0.1, -128), // 3
      { name: 'paddings', shape: [4, 2], type: INT64, data: bytesOf(BigInt64Array.from([0n, 0n, 1n, 1n, 0n, 2n, 0n, 0n])) }, // 4
      act('padded', [1, 5, 5, 3], 0.1, -128), // 5
      { name: 'axes', shape: [2], type: INT32, data: bytesOf(Int32Array.from([2, -3])) }, // 6
      act('mean', [1, 1, 1, 3], 0.1, -128), // 7
      { name: 'shape', shape: [2], type: INT32, data: bytesOf(Int32Array.from([1, 3])) }, // 8
      act('flat', [1, 3], 0.1, -128), // 9
      act('cat', [1, 6], 0.1, -128), // 10
      act('probs', [1, 6], 1 / 256, -128), // 11
    ],
    ops: [
      { code: CONV, inputs: [0, 1, 2], outputs: [3], optionsType: 1, options: [[0, 'i8', 0], [1, 'i32', 2], [2, 'i32', 2], [3, 'i8', 3]] },
      { code: PAD, inputs: [3, 4], outputs: [5] },
      { code: MEAN, inputs: [5, 6], outputs: [7], optionsType: 27, options: [[0, 'bool', true]] },
      { code: RESHAPE, inputs: [7, 8], outputs: [9], optionsType: 17, options: [[0, 'ints', [1, 3]]] },
      { code: CONCAT, inputs: [9, 9], outputs: [10], optionsType: 10, options: [[0, 'i32', -1], [1, 'i8', 0]] },
      { code: SOFTMAX, inputs: [10], outputs: [11], optionsType: 9, options: [[0, 'f32', 1]] },
    ],
    inputs: [0],
    outputs: [11],
  };
  return { spec, weights, bias };
}

test('a small int8 graph imports with exact quantization, explicit pads and folded constant operands', () => {
  const { spec, weights, bias } = smallGraph();
  const m = importTflite(buildTflite(spec), { source: 'small.tflite', labels: ['a', 'b'] });
  assert.equal(m.ops.map((o) => o.kind), ['Conv2D', 'Pad', 'Mean', 'Reshape', 'Concatenation', 'Softmax']);
  // constants folded into options are gone; tensors renumbered in first use order
  assert.equal(m.tensors.map((t) => t.name), ['input', 'w', 'b', 'conv', 'padded', 'mean', 'flat', 'cat', 'probs']);
  assert.equal(m.inputs, [0]);
  assert.equal(m.outputs, [8]);
  const [conv, pad, mean, , cat, softmax] = m.ops;
  assert.equal(conv.inputs, [0, 1, 2]);
  assert.equal(conv.options, { padTop: 1, padBottom: 1, padLeft: 1, padRight: 1, strideH: 2, strideW: 2, dilationH: 1, dilationW: 1, activation: 'relu6' });
  assert.equal(pad.inputs, [3]);
  assert.equal(pad.options, { pads: [0, 0, 1, 1, 0, 2, 0, 0] });
  assert.equal(mean.options, { axes: [1, 2], keepDims: true });
  assert.equal(cat.inputs, [6, 6]);
  assert.equal(cat.options, { axis: 1, activation: 'none' });
  assert.equal(softmax.options, { beta: 1 });
  const w = m.tensors[1];
  assert.equal(w.quant, { scales: Float32Array.from([0.01, 0.02, 0.5]), zeroPoints: Int32Array.from([0, 0, 0]), axis: 0 });
  assert.equal(new Int8Array(m.buffers[w.buffer!].buffer, m.buffers[w.buffer!].byteOffset, 54), weights);
  assert.equal(new Int32Array(m.buffers[m.tensors[2].buffer!].slice().buffer), bias);
  assert.equal(m.tensors[0].quant, { scales: Float32Array.from([0.05]), zeroPoints: Int32Array.from([-3]), axis: -1 });
  assert.is(m.buffers.length, 2);
  assert.equal(m.metadata.labels, ['a', 'b']);
  assert.is(m.metadata.preprocessing, undefined, 'int8 input: no default preprocessing');
  assert.is(m.metadata.calibrationMethod, 'imported:tflite');
  verifyModel(m);
});

test('old files (deprecated_builtin_code only) and external buffers (Buffer.offset / size) import identically', () => {
  const { spec } = smallGraph();
  const plain = importTflite(buildTflite(spec));
  const old = importTflite(buildTflite({ ...spec, deprecatedCodesOnly: true }));
  const external = buildTflite({ ...spec, externalBuffers: true });
  assert.ok(readTflite(external).buffers.some((b) => b.length > 0));
  assert.equal(old, plain);
  assert.equal(importTflite(external), plain);
});

function expectError(bytes: Uint8Array, code: string, ...fragments: string[]): void {
  try {
    importTflite(bytes, { source: 'bad.tflite' });
  } catch (e) {
    assert.instance(e, ConvertError);
    assert.is((e as ConvertError).code, code, (e as Error).message);
    for (const f of ['bad.tflite', ...fragments]) assert.ok((e as Error).message.includes(f), `"${(e as Error).message}" lacks "${f}"`);
    return;
  }
  assert.unreachable('imported');
}

test('a Node Buffer input is not aliased by the Model (Buffer.slice does not copy)', () => {
  const { spec } = smallGraph();
  const buf = Buffer.from(buildTflite(spec));
  const m = importTflite(buf);
  const before = m.buffers.map((b) => Array.from(b));
  buf.fill(0);
  assert.equal(m.buffers.map((b) => Array.from(b)), before);
  assert.ok(m.buffers.every((b) => b.constructor === Uint8Array && b.byteOffset === 0 && b.buffer.byteLength === b.length));
});

test('unsupported ops are all named in one UNSUPPORTED_OPS error', () => {
  const t = (name: string) => ({ name, shape: [1, 4], type: INT8, scale: [0.1], zeroPoint: [0] });
  const spec: Spec = {
    tensors: [t('x'), t('a'), t('b'), t('c'), t('d')],
    ops: [
      { code: 41, inputs: [0, 0], outputs: [1] }, // SUB
      { code: 19, inputs: [1], outputs: [2] }, // RELU (supported)
      { code: 150, inputs: [2], outputs: [3] }, // GELU (a code >= 127: builtin_code only)
      { code: 32, inputs: [3], outputs: [4] }, // CUSTOM
    ],
    inputs: [0],
    outputs: [4],
  };
  expectError(buildTflite(spec), 'UNSUPPORTED_OPS', '3 unsupported', 'SUB (op 0)', 'GELU (op 2)', "CUSTOM '' (op 3)");
});

test('inconsistent graphs give typed errors naming the op or tensor', () => {
  const { spec } = smallGraph();
  const withTensor = (i: number, patch: object): Spec => ({ ...spec, tensors: spec.tensors.map((t, k) => (k === i ? { ...t, ...patch } : t)) });
  expectError(buildTflite(withTensor(3, { shape: [1, 2, 3, 3] })), 'BAD_TFLITE', 'op 0 (CONV_2D)', 'SAME');
  expectError(buildTflite(withTensor(1, { data: new Uint8Array(10) })), 'BAD_TFLITE', "tensor 1 'w'", 'holds 10 bytes');
  expectError(buildTflite(withTensor(0, { zeroPoint: [300] })), 'BAD_TFLITE', "'input'", 'zero point');
  expectError(buildTflite(withTensor(1, { scale: [0.1, 0.2] , zeroPoint: [0, 0] })), 'BAD_TFLITE', "'w'", 'scales');
  expectError(buildTflite(withTensor(0, { type: 7 })), 'UNSUPPORTED_TYPE', 'INT16');
  const badIndex: Spec = { ...spec, ops: spec.ops.map((o, k) => (k === 5 ? { ...o, inputs: [99] } : o)) };
  expectError(buildTflite(badIndex), 'BAD_TFLITE', 'op 5 (SOFTMAX)', 'tensor index 99');
  const badAct: Spec = { ...spec, ops: spec.ops.map((o, k) => (k === 4 ? { ...o, options: [[0, 'i32', 1], [1, 'i8', 4]] } : o)) };
  expectError(buildTflite(badAct), 'UNSUPPORTED_OPS', 'op 4 (CONCATENATION)', 'TANH');
});

test('the coral models import with their quantization kept exactly', () => {
  const dir = coralDir('tflite/import coral models');
  if (!dir) return;
  const opCounts = [66, 68, 31];
  CORAL_MODELS.forEach((file, k) => {
    const bytes = new Uint8Array(readFileSync(join(dir, file)));
    const before = bytes.slice();
    const tfl = readTflite(bytes).subgraphs[0];
    const m = importTflite(bytes, { source: file });
    assert.equal(bytes, before, 'input bytes untouched');
    assert.is(m.ops.length, opCounts[k], file);
    assert.equal(m.ops[file.startsWith('tf2') ? 1 : 0].options, { padTop: 0, padBottom: 1, padLeft: 0, padRight: 1, strideH: 2, strideW: 2, dilationH: 1, dilationW: 1, activation: 'relu6' });
    // every Model tensor is a TFLite tensor with identical shape, scales and zero points
    const byName = new Map(tfl.tensors.map((t) => [t.name, t]));
    for (const t of m.tensors) {
      const src = byName.get(t.name)!;
      assert.equal(t.shape, src.shape);
      if (t.quant) {
        assert.equal(Array.from(t.quant.scales), Array.from(src.quantization!.scale), t.name);
        assert.equal(Array.from(t.quant.zeroPoints), src.quantization!.zeroPoint, t.name);
      }
    }
    const weights = m.ops.filter((o) => o.kind === 'Conv2D' || o.kind === 'DepthwiseConv2D').map((o) => m.tensors[o.inputs[1]]);
    if (file.startsWith('tf2')) {
      assert.ok(weights.every((w) => w.dtype === 'int8' && w.quant!.axis === (w.shape[0] === 1 ? 3 : 0) && w.quant!.scales.length > 1), 'int8 per-channel');
    } else {
      assert.ok(weights.every((w) => w.dtype === 'uint8' && w.quant!.axis === -1), 'uint8 per-tensor');
      assert.ok(weights.filter((w) => w.quant!.zeroPoints[0] !== 0).length > weights.length / 2, 'non-zero weight zero points kept');
    }
    assert.equal(m.metadata.preprocessing, { layout: 'NHWC', mean: [0, 0, 0], std: [1, 1, 1], pixelScale: 1 });
    // the format accepts it and a written file reads back to the same model
    verifyModel(m);
    assert.equal(readModel(writeModel(m)), m);
  });
});

test.run();
