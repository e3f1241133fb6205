import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { convertTfliteFile } from '../../../src/cli/commands/convert-tflite.js';
import { readModel } from '../../../src/format/index.js';
import { ConvertError } from '../../../src/convert/errors.js';
import { coralDir } from '../images/coral-data.js';

test('convertTfliteFile writes a .wasmq that reads back with labels and the preprocessing note', () => {
  const dir = coralDir('tflite/convert command');
  if (!dir) return;
  const out = mkdtempSync(join(tmpdir(), 'wasmq-convert-'));
  try {
    const target = join(out, 'm.wasmq');
    const r = convertTfliteFile(join(dir, 'mobilenet_v1_0.25_128_quant.tflite'), target, { labelsPath: join(dir, 'imagenet_labels.txt') });
    assert.equal(r.ops, { Conv2D: 15, DepthwiseConv2D: 13, AveragePool2D: 1, Reshape: 1, Softmax: 1 });
    const bytes = readFileSync(target);
    assert.is(r.bytes, bytes.length);
    const m = readModel(new Uint8Array(bytes));
    assert.is(m.metadata.labels!.length, 1001);
    assert.is(m.metadata.labels![0], 'background');
    assert.is(m.tensors.length, r.tensors);
    assert.equal(m.metadata.preprocessing, { layout: 'NHWC', mean: [0, 0, 0], std: [1, 1, 1], pixelScale: 1 });
    // by default the legacy uint8 weights are kept exactly (the kernels fold their zero point)
    assert.equal(r.notes, []);
    assert.ok(m.ops.filter((o) => o.kind === 'Conv2D').every((o) => m.tensors[o.inputs[1]].dtype === 'uint8'));
    const rescaled = convertTfliteFile(join(dir, 'mobilenet_v1_0.25_128_quant.tflite'), target, { uint8Weights: 'symmetric-int8' });
    assert.equal(rescaled.notes, ['tflite.uint8Weights: symmetric int8, 56 of 3737 channels rescaled']);
    assert.is(readModel(new Uint8Array(readFileSync(target))).tensors[1].dtype, 'int8');
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});

test('a missing input or labels file is a READ_FAILED error naming the path', () => {
  const check = (fn: () => unknown, path: string) => {
    try { fn(); } catch (e) {
      assert.instance(e, ConvertError);
      assert.is((e as ConvertError).code, 'READ_FAILED');
      assert.ok((e as Error).message.includes(path));
      return;
    }
    assert.unreachable('no error');
  };
  check(() => convertTfliteFile('/nonexistent/model.tflite', '/tmp/x.wasmq'), '/nonexistent/model.tflite');
  const dir = coralDir('tflite/convert command');
  if (dir) check(() => convertTfliteFile(join(dir, 'mobilenet_v1_0.25_128_quant.tflite'), '/tmp/x.wasmq', { labelsPath: '/nonexistent/labels.txt' }), '/nonexistent/labels.txt');
});

test.run();
