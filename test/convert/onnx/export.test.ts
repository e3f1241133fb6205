// wasmq export-onnx: a converted int8 model written back as ONNX QDQ must make onnxruntime compute what wasmq
// computes. Tolerance: onnxruntime fuses the QDQ pairs into its own int8 kernels (or runs them in float) and
// rounds its requantization differently, so outputs may differ by an output LSB here and there; every element
// must be within 2 output LSB of wasmq's and at least 95% within 1 LSB (a wrong layout, axis or scale gives
// differences of tens of LSB on most elements).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { convert } from '../../../src/convert/convert.js';
import { exportOnnx } from '../../../src/convert/onnx/export.js';
import { ConvertError } from '../../../src/convert/errors.js';
import { writeModel } from '../../../src/format/write.js';
import { readModel } from '../../../src/format/read.js';
import { runCli } from '../../../src/cli/program.js';
import { loadModel, type Model } from '../../../src/index.js';
import { prng, randomFloat32 } from '../../ref/prng.js';
import { cases, type Case } from './cases.js';
import { toNHWC } from './helpers.js';

/** Cases whose converted model holds only exportable ops (every kind the exporter maps appears among them). */
const EXPORTED = [
  'conv 3x3 pad 1', 'conv dilated', 'grouped conv', 'depthwise conv, multiplier 2', 'conv + batchnorm + relu', 'batchnorm on an input',
  'clip with only a min', 'add broadcast constant per channel', 'concat on channels', 'pools with ceil_mode', 'global average pool + flatten',
  'conv + flatten of a 3x3 map', 'reshape (0, -1) + matmul', 'gemm without transposes', 'reduce mean axes attribute (opset 13) and input',
  'reduce mean axes attribute, keepdims 0', 'pad inputs (opset 13)', 'identity, dropout', 'squeeze/unsqueeze axes inputs', 'shape -> gather',
  'weights from Constant nodes', 'softmax over channels', 'standalone relu6 clip', 'normalization in the graph', 'batch 2:',
];

const all = cases();
const pick = (fragment: string): Case => {
  const c = all.find((x) => x.name.startsWith(fragment));
  if (!c) throw new Error(`no case named '${fragment}...'`);
  return c;
};

async function converted(c: Case): Promise<Model> {
  return (await convert(c.bytes, [], { randomCalibration: 16 })).model;
}

/** |onnxruntime - wasmq| in output LSB, per element, on one seeded input. */
async function lsbDiffs(c: Case, model: Model, onnx: Uint8Array): Promise<number[]> {
  const dims = Object.values(c.inputs)[0];
  const x = randomFloat32(prng(5), dims.reduce((a, b) => a * b, 1), 1);
  const session = await ort.InferenceSession.create(onnx, { intraOpNumThreads: 1 });
  let theirs = (await session.run({ [session.inputNames[0]]: new ort.Tensor('float32', x, dims) }))[session.outputNames[0]].data as Float32Array;
  await session.release();
  const ours = await (await loadModel(model)).createSession();
  const mine = (await ours.run({ [ours.inputNames[0]]: dims.length === 4 ? toNHWC(x, dims) : x }))[ours.outputNames[0]] as Float32Array;
  const out = model.tensors[model.outputs[0]];
  if (out.shape.length === 4) {
    const [n, h, w, ch] = out.shape;
    theirs = toNHWC(theirs, [n, ch, h, w]);
  }
  assert.is(theirs.length, mine.length, `${c.name}: output length`);
  const lsb = out.quant!.scales[0];
  return Array.from(mine, (v, i) => Math.abs(theirs[i] - v) / lsb);
}

for (const fragment of EXPORTED) {
  test(`export-onnx QDQ in onnxruntime matches wasmq int8: ${fragment}`, async () => {
    const c = pick(fragment);
    const model = await converted(c);
    const d = await lsbDiffs(c, model, exportOnnx(model));
    const max = Math.max(...d);
    const within1 = d.filter((v) => v <= 1.001).length / d.length;
    assert.ok(max <= 2.001, `${c.name}: max difference ${max.toFixed(2)} LSB > 2`);
    assert.ok(within1 >= 0.95, `${c.name}: only ${(100 * within1).toFixed(1)}% within 1 LSB`);
  });
}

test('export-onnx names the op it cannot export (HardSwish) with a typed error, and leaves the model unchanged', async () => {
  const model = await converted(pick('hardswish written as'));
  const before = writeModel(model);
  try {
    exportOnnx(model);
    assert.unreachable('exported a HardSwish');
  } catch (e) {
    assert.instance(e, ConvertError);
    assert.is((e as ConvertError).code, 'UNSUPPORTED_OPS');
    assert.match((e as Error).message, /op 1 \(HardSwish/);
  }
  assert.equal(writeModel(model), before);
});

test('wasmq export-onnx model.wasmq -o model.onnx writes what exportOnnx returns for the file\'s model', async () => {
  const model = await converted(pick('global average pool + flatten'));
  const dir = mkdtempSync(join(tmpdir(), 'wasmq-export-'));
  try {
    const inPath = join(dir, 'm.wasmq'), outPath = join(dir, 'm.onnx');
    writeFileSync(inPath, writeModel(model));
    const write = process.stdout.write;
    process.stdout.write = (() => true) as typeof process.stdout.write;
    let code: number;
    try {
      code = await runCli(['export-onnx', inPath, '-o', outPath]);
    } finally {
      process.stdout.write = write;
    }
    assert.is(code, 0);
    assert.ok(Buffer.from(readFileSync(outPath)).equals(Buffer.from(exportOnnx(readModel(readFileSync(inPath))))), "file differs from exportOnnx");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
