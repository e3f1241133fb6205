// Checks the committed float digit model: its graph is the MobileNet-style architecture with batch-norm left
// unfolded (what the converter expects to fold), and onnxruntime reproduces the held-out accuracy recorded
// by the training script.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import * as ort from 'onnxruntime-node';
import { heldOutDigits, DIGIT_PIXELS } from '../../src/demo/digits.js';
import { readOnnxGraph } from './onnx-graph.js';

const modelUrl = new URL('../../models/digits/digits.onnx', import.meta.url);
const meta = JSON.parse(readFileSync(new URL('../../models/digits/digits.json', import.meta.url), 'utf8')) as {
  input: { name: string; shape: number[]; mean: number; std: number };
  output: { name: string };
  labels: string[];
  heldOutAccuracy: number;
  heldOutCount: number;
};
const bytes = readFileSync(modelUrl);

test('the metadata describes a 10-class model on [0, 1] pixels', () => {
  assert.equal(meta.labels, ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
  assert.equal(meta.input.shape, [1, 1, 28, 28]);
  assert.is(meta.heldOutCount, 2000);
  assert.ok(bytes.length < 1 << 20, `float model is ${bytes.length} bytes, expected well under 1 MB`);
});

test('the graph keeps BatchNormalization and has depthwise convs, ReLU6 clips, a residual Add, pooling and a two-layer dense head', () => {
  const g = readOnnxGraph(bytes);
  assert.is(g.opset, 13);
  assert.equal(g.inputs.filter((v) => !g.initializers.includes(v.name)), [{ name: meta.input.name, dims: [1, 1, 28, 28] }]);
  assert.equal(g.outputs, [{ name: meta.output.name, dims: [1, 10] }]);
  const count = (op: string) => g.nodes.filter((n) => n.opType === op).length;
  const convs = g.nodes.filter((n) => n.opType === 'Conv');
  assert.is(count('BatchNormalization'), convs.length, 'one unfolded BatchNormalization per Conv');
  assert.ok(convs.some((n) => (n.ints.group ?? 1) > 1), 'a depthwise (grouped) Conv');
  assert.ok(convs.some((n) => (n.ints.group ?? 1) === 1), 'an ordinary Conv');
  assert.ok(count('Clip') >= 5, 'ReLU6 as Clip');
  assert.ok(count('Add') >= 1, 'a residual Add');
  assert.ok(count('GlobalAveragePool') + count('ReduceMean') === 1);
  const dense = g.nodes.filter((n) => n.opType === 'Gemm' || n.opType === 'MatMul');
  assert.is(dense.length, 2, 'FC -> ReLU6 -> FC head');
  const between = g.nodes.find((n) => n.inputs.includes(dense[0].outputs[0]));
  assert.is(between?.opType, 'Clip', 'ReLU6 between the two fully-connected layers');
});

test('onnxruntime reproduces the recorded held-out accuracy (at least 97%)', async () => {
  const session = await ort.InferenceSession.create(bytes, { intraOpNumThreads: 1, interOpNumThreads: 1 });
  const { images, labels, count } = heldOutDigits();
  let correct = 0;
  for (let i = 0; i < count; i++) {
    const x = images.slice(i * DIGIT_PIXELS, (i + 1) * DIGIT_PIXELS).map((v) => (v - meta.input.mean) / meta.input.std);
    const out = await session.run({ [meta.input.name]: new ort.Tensor('float32', x, [1, 1, 28, 28]) });
    const logits = out[meta.output.name].data as Float32Array;
    let best = 0;
    for (let k = 1; k < 10; k++) if (logits[k] > logits[best]) best = k;
    if (best === labels[i]) correct++;
  }
  await session.release();
  const accuracy = correct / count;
  assert.ok(Math.abs(accuracy - meta.heldOutAccuracy) <= 0.002, `onnxruntime ${accuracy}, recorded ${meta.heldOutAccuracy}`);
  assert.ok(accuracy >= 0.97, `held-out accuracy ${accuracy}`);
});

test.run();
