// Quantized-operator ONNX graphs (QLinearConv, QLinearMatMul, ConvInteger, MatMulInteger) built with the ONNX
// builder, seeded random weights and parameters, imported by importQuantizedOnnx and run by the runtime against
// onnxruntime-node on the same model. Tolerances: ConvInteger / MatMulInteger exact (integer accumulators);
// QLinear* within 1 LSB everywhere and ≥ 95% identical (onnxruntime requantizes in float, wasmq in fixed point,
// so a product that lands on a rounding tie can go either way).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as ort from 'onnxruntime-node';
import { OnnxBuilder } from '../../../src/convert/onnx/builder.js';
import type { OnnxElemType } from '../../../src/convert/onnx/dtype.js';
import { importQuantizedOnnx } from '../../../src/convert/onnx/quantized-ops.js';
import { ConvertError } from '../../../src/convert/ir/errors.js';
import { loadModel } from '../../../src/index.js';
import { prng, type Rng } from '../../ref/prng.js';
import { toNHWC } from './helpers.js';

type Typed = Uint8Array | Int8Array | Float32Array | Int32Array;
const ints = (rng: Rng, n: number, lo: number, hi: number) => Array.from({ length: n }, () => rng.int(lo, hi));
const f32 = Math.fround;

async function ortRun(bytes: Uint8Array, name: string, type: 'uint8' | 'int8', data: number[], dims: number[]): Promise<Typed> {
  const s = await ort.InferenceSession.create(bytes);
  try {
    const out = await s.run({ [name]: new ort.Tensor(type, type === 'uint8' ? Uint8Array.from(data) : Int8Array.from(data), dims) });
    return out[s.outputNames[0]].data as Typed;
  } finally {
    await s.release();
  }
}

async function wasmqRun(bytes: Uint8Array, type: 'uint8' | 'int8', data: number[], dims: number[]): Promise<ArrayLike<number>> {
  const model = importQuantizedOnnx(bytes);
  const session = await (await loadModel(model)).createSession();
  try {
    const feed = dims.length === 4 ? Array.from(toNHWC(data, dims)) : data;
    const out = session.runSync({ [model.tensors[model.inputs[0]].name]: type === 'uint8' ? Uint8Array.from(feed) : Int8Array.from(feed) }, { raw: true });
    const y = Object.values(out)[0];
    const od = model.tensors[model.outputs[0]].shape;
    if (od.length !== 4) return y;
    const [n, h, w, c] = od; // back to NCHW
    const back = new Array<number>(y.length);
    for (let b = 0; b < n; b++) for (let ch = 0; ch < c; ch++) for (let i = 0; i < h * w; i++) back[(b * c + ch) * h * w + i] = y[(b * h * w + i) * c + ch];
    return back;
  } finally {
    session.release();
  }
}

function compare(got: ArrayLike<number>, ref: ArrayLike<number>, exact: boolean, what: string): void {
  assert.is(got.length, ref.length, `${what}: length`);
  let same = 0, worst = 0;
  for (let i = 0; i < ref.length; i++) {
    const d = Math.abs(got[i] - ref[i]);
    worst = Math.max(worst, d);
    if (d === 0) same++;
  }
  if (exact) assert.is(worst, 0, `${what}: ${ref.length - same} of ${ref.length} differ`);
  assert.ok(worst <= 1, `${what}: largest difference ${worst} LSB`);
  assert.ok(same >= 0.95 * ref.length, `${what}: only ${same}/${ref.length} identical`);
  assert.ok(new Set(Array.from(ref)).size > Math.min(20, ref.length / 4), `${what}: reference output is nearly constant`);
}

interface ConvCase { seed: number; cin: number; cout: number; group: number; stride: number; wType: 'int8' | 'uint8'; perChannel: boolean; bias: boolean }

function qlinearConv(c: ConvCase): { bytes: Uint8Array; x: number[]; dims: number[] } {
  const rng = prng(c.seed);
  const b = new OnnxBuilder({ opset: 13 });
  const dims = [1, c.cin, 9, 9];
  const ig = c.cin / c.group;
  const sx = f32(0.01 + 0.02 * rng.float()), zx = rng.int(100, 150);
  const nScales = c.perChannel ? c.cout : 1;
  const sw = Array.from({ length: nScales }, () => f32(0.002 + 0.01 * rng.float()));
  const zw = c.wType === 'uint8' ? new Array(nScales).fill(c.perChannel ? 128 : rng.int(110, 140)) : new Array(nScales).fill(0);
  const [lo, hi] = c.wType === 'uint8' ? [0, 255] : [-127, 127];
  const sy = f32(0.05 + 0.1 * rng.float()), zy = rng.int(100, 150);
  b.input('x', dims, 'uint8').output('y', undefined, 'uint8');
  b.initializer('sx', [], [sx]).initializer('zx', [], [zx], { dtype: 'uint8' });
  b.initializer('w', [c.cout, ig, 3, 3], ints(rng, c.cout * ig * 9, lo, hi), { dtype: c.wType as OnnxElemType });
  b.initializer('sw', c.perChannel ? [c.cout] : [], sw).initializer('zw', c.perChannel ? [c.cout] : [], zw, { dtype: c.wType as OnnxElemType });
  b.initializer('sy', [], [sy]).initializer('zy', [], [zy], { dtype: 'uint8' });
  const inputs = ['x', 'sx', 'zx', 'w', 'sw', 'zw', 'sy', 'zy'];
  if (c.bias) { b.initializer('bias', [c.cout], ints(rng, c.cout, -3000, 3000), { dtype: 'int32' }); inputs.push('bias'); }
  b.node('QLinearConv', inputs, ['y'], { pads: [1, 1, 1, 1], strides: [c.stride, c.stride], group: c.group, kernel_shape: [3, 3] });
  return { bytes: b.toBytes(), x: ints(rng, dims.reduce((a, d) => a * d, 1), 0, 255), dims };
}

const CONVS: ConvCase[] = [
  { seed: 1, cin: 4, cout: 6, group: 1, stride: 1, wType: 'int8', perChannel: true, bias: true },
  { seed: 2, cin: 5, cout: 3, group: 1, stride: 2, wType: 'uint8', perChannel: false, bias: true },
  { seed: 3, cin: 6, cout: 6, group: 6, stride: 1, wType: 'int8', perChannel: true, bias: true },
  { seed: 4, cin: 4, cout: 8, group: 4, stride: 2, wType: 'uint8', perChannel: false, bias: false },
  { seed: 5, cin: 3, cout: 4, group: 1, stride: 1, wType: 'int8', perChannel: false, bias: false },
];

for (const c of CONVS) {
  test(`QLinearConv ${JSON.stringify(c)} matches onnxruntime`, async () => {
    const { bytes, x, dims } = qlinearConv(c);
    compare(await wasmqRun(bytes, 'uint8', x, dims), await ortRun(bytes, 'x', 'uint8', x, dims), false, 'QLinearConv');
  });
}

test('QLinearMatMul (uint8, per-tensor) matches onnxruntime', async () => {
  const rng = prng(11);
  const [m, k, n] = [12, 20, 9];
  const b = new OnnxBuilder({ opset: 13 });
  b.input('a', [m, k], 'uint8').output('y', undefined, 'uint8');
  b.initializer('sa', [], [f32(0.02)]).initializer('za', [], [rng.int(100, 150)], { dtype: 'uint8' });
  b.initializer('b', [k, n], ints(rng, k * n, 0, 255), { dtype: 'uint8' });
  b.initializer('sb', [], [f32(0.01)]).initializer('zb', [], [rng.int(100, 150)], { dtype: 'uint8' });
  b.initializer('sy', [], [f32(0.2)]).initializer('zy', [], [128], { dtype: 'uint8' });
  b.node('QLinearMatMul', ['a', 'sa', 'za', 'b', 'sb', 'zb', 'sy', 'zy'], ['y']);
  const bytes = b.toBytes();
  const a = ints(rng, m * k, 0, 255);
  compare(await wasmqRun(bytes, 'uint8', a, [m, k]), await ortRun(bytes, 'a', 'uint8', a, [m, k]), false, 'QLinearMatMul');
});

test('ConvInteger and MatMulInteger: exact int32 accumulators, as onnxruntime', async () => {
  const rng = prng(12);
  const conv = new OnnxBuilder({ opset: 13 });
  const dims = [1, 5, 7, 7];
  conv.input('x', dims, 'uint8').output('y', undefined, 'int32');
  conv.initializer('w', [4, 5, 3, 3], ints(rng, 4 * 5 * 9, 0, 255), { dtype: 'uint8' });
  conv.initializer('zx', [], [rng.int(0, 255)], { dtype: 'uint8' }).initializer('zw', [], [rng.int(0, 255)], { dtype: 'uint8' });
  conv.node('ConvInteger', ['x', 'w', 'zx', 'zw'], ['y'], { pads: [1, 0, 1, 2], kernel_shape: [3, 3] });
  const x = ints(rng, 5 * 49, 0, 255);
  compare(await wasmqRun(conv.toBytes(), 'uint8', x, dims), await ortRun(conv.toBytes(), 'x', 'uint8', x, dims), true, 'ConvInteger');

  const mm = new OnnxBuilder({ opset: 13 });
  mm.input('a', [6, 30], 'uint8').output('y', undefined, 'int32');
  mm.initializer('b', [30, 7], ints(rng, 210, 0, 255), { dtype: 'uint8' });
  mm.initializer('za', [], [rng.int(0, 255)], { dtype: 'uint8' }).initializer('zb', [], [rng.int(0, 255)], { dtype: 'uint8' });
  mm.node('MatMulInteger', ['a', 'b', 'za', 'zb'], ['y']);
  const a = ints(rng, 180, 0, 255);
  compare(await wasmqRun(mm.toBytes(), 'uint8', a, [6, 30]), await ortRun(mm.toBytes(), 'a', 'uint8', a, [6, 30]), true, 'MatMulInteger');
});

test('ConvInteger whose accumulators could pass 2^24 is refused, not computed inexactly', () => {
  const b = new OnnxBuilder({ opset: 13 });
  b.input('x', [1, 64, 5, 5], 'uint8').output('y', undefined, 'int32');
  b.initializer('w', [2, 64, 3, 3], new Array(2 * 64 * 9).fill(255), { dtype: 'uint8' });
  b.node('ConvInteger', ['x', 'w'], ['y'], { kernel_shape: [3, 3] });
  try {
    importQuantizedOnnx(b.toBytes());
    assert.unreachable('expected a refusal');
  } catch (e) {
    assert.ok(e instanceof ConvertError, String(e));
    assert.match(e.message, /2\^24/);
  }
});

test.run();
