import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { loadModel, ModelError, InputError, WasmqError } from '../../src/index.js';
import { GraphBuilder } from './build.js';
import { prng, randomFloat32, randomInt8 } from '../ref/prng.js';

const S = 0.05, ZP = -3;

/** float [1,2,3,4] -> Quantize -> Reshape [2,12] -> Dequantize -> float */
function edgeModel() {
  const g = new GraphBuilder();
  const x = g.input('x', [1, 2, 3, 4], 'float32');
  const q = g.tensor('q', [1, 2, 3, 4], 'int8', { scale: S, zeroPoint: ZP });
  const r = g.tensor('r', [2, 12], 'int8', { scale: S, zeroPoint: ZP });
  const y = g.tensor('y', [2, 12], 'float32');
  g.op('Quantize', [x], [q], {}, 'quant');
  g.op('Reshape', [q], [r], {});
  g.op('Dequantize', [r], [y], {}, 'dequant');
  return g.build(y);
}

/** int8 or uint8 in, Reshape, out */
function reshapeModel(dtype: 'int8' | 'uint8', zp: number) {
  const g = new GraphBuilder();
  const x = g.input('pixels', [4, 6], dtype, { scale: 0.5, zeroPoint: zp });
  const y = g.tensor('flat', [24], dtype, { scale: 0.5, zeroPoint: zp });
  g.op('Reshape', [x], [y], {});
  return g.build(y);
}

const fq = Math.fround;
const roundAway = (v: number): number => (v < 0 ? -Math.round(-v) : Math.round(v));
const quant = (v: number): number => Math.max(-128, Math.min(127, roundAway(fq(v / fq(S))) + ZP));

async function expectError(fn: () => unknown, type: Function, code: string, message?: RegExp): Promise<void> {
  try {
    await fn();
  } catch (e) {
    assert.instance(e, type);
    assert.instance(e, WasmqError);
    assert.is((e as WasmqError).code, code);
    if (message) assert.match((e as Error).message, message);
    return;
  }
  assert.unreachable(`expected ${code}`);
}

test('model.info describes inputs, outputs, ops and the memory plan', async () => {
  const model = await loadModel(edgeModel());
  const { info } = model;
  assert.equal(info.inputs.map((t) => [t.name, t.shape, t.dtype]), [['x', [1, 2, 3, 4], 'float32']]);
  assert.equal(info.outputs.map((t) => [t.name, t.shape, t.dtype]), [['y', [2, 12], 'float32']]);
  assert.is(info.opCount, 3);
  assert.equal(info.opsByKind, { Quantize: 1, Reshape: 1, Dequantize: 1 });
  // x (96 B) and q (24 B) live together, then q/r (one storage) with y (96 B): 128 + 64.
  assert.is(info.memory.arenaBytes, 192);
  assert.is(info.memory.arenaLowerBound, 192);
  const place = (name: string) => info.memory.tensors.find((p) => p.tensor === ['x', 'q', 'r', 'y'].indexOf(name))!;
  assert.is(place('r').offset, place('q').offset, 'the reshape output aliases its input');
  assert.is(place('r').storage, place('q').tensor);
  assert.is(info.memory.memoryLimit, 2 ** 30);
  assert.equal(info.metadata, { producer: 'test' });
});

test('float in, float out: quantized at the input edge, dequantized at the output', async () => {
  const session = await (await loadModel(edgeModel())).createSession();
  const x = randomFloat32(prng(7), 24, 4);
  x[0] = 1e9; x[1] = -1e9; x[2] = NaN; x[3] = S * 2.5; // saturation, NaN -> zero point, a tie
  const copy = x.slice();
  const out = await session.run({ x });
  assert.instance(out.y, Float32Array);
  const expected = Array.from(x, (v) => fq(fq(S) * ((Number.isNaN(v) ? ZP : quant(v)) - ZP)));
  assert.equal(Array.from(out.y), expected);
  assert.equal(Array.from(x), Array.from(copy), 'the feed is not mutated');
});

test('int8 raw in and out, and dequantized out by default', async () => {
  const session = await (await loadModel(reshapeModel('int8', 5))).createSession();
  const x = randomInt8(prng(3), 24);
  const raw = await session.run({ pixels: x }, { raw: true });
  assert.instance(raw.flat, Int8Array);
  assert.equal(Array.from(raw.flat), Array.from(x));
  const real = await session.run({ pixels: x });
  assert.equal(Array.from(real.flat), Array.from(x, (q) => 0.5 * (q - 5)));
});

test('uint8 models take and give Uint8Array (run on the int8 path, exactly)', async () => {
  const model = await loadModel(reshapeModel('uint8', 128 + 7));
  assert.is(model.info.inputs[0].dtype, 'uint8');
  assert.equal(model.info.inputs[0].quantization!.zeroPoints, [135]);
  const session = await model.createSession();
  const x = Uint8Array.from({ length: 24 }, (_, i) => (i * 37) % 256);
  x[0] = 0; x[1] = 255;
  const raw = await session.run({ pixels: x }, { raw: true });
  assert.instance(raw.flat, Uint8Array);
  assert.equal(Array.from(raw.flat), Array.from(x));
  const real = await session.run({ pixels: x });
  assert.equal(Array.from(real.flat), Array.from(x, (q) => 0.5 * (q - 135)));
  const fromFloat = await session.run({ pixels: Float32Array.from(real.flat as Float32Array) }, { raw: true });
  assert.equal(Array.from(fromFloat.flat), Array.from(x), 'float feeds quantize to the same uint8 values');
});

test('bad feeds are BAD_INPUT errors naming the input, and the session keeps working', async () => {
  const session = await (await loadModel(edgeModel())).createSession();
  const good = new Float32Array(24).fill(0.5);
  await expectError(() => session.run({ x: good, z: good }), InputError, 'BAD_INPUT', /unknown input 'z'.*'x'/);
  await expectError(() => session.run({}), InputError, 'BAD_INPUT', /missing input 'x'/);
  await expectError(() => session.run({ x: new Float32Array(23) }), InputError, 'BAD_INPUT', /input 'x' has 23 elements.*needs 24/);
  await expectError(() => session.run({ x: new Int8Array(24) }), InputError, 'BAD_INPUT', /input 'x' is Int8Array; it takes Float32Array/);
  await expectError(() => session.run({ x: [1, 2] as unknown as Float32Array }), InputError, 'BAD_INPUT', /input 'x' is object/);
  await expectError(() => session.run(null as unknown as Record<string, Float32Array>), InputError, 'BAD_INPUT');
  const out = await session.run({ x: good });
  assert.equal(Array.from(out.y), new Array(24).fill(fq(fq(S) * (quant(0.5) - ZP))));
});

test('int8 inputs refuse uint8 data and vice versa', async () => {
  const s8 = await (await loadModel(reshapeModel('int8', 0))).createSession();
  await expectError(() => s8.run({ pixels: new Uint8Array(24) }), InputError, 'BAD_INPUT', /Uint8Array; it takes Float32Array or Int8Array/);
  const su8 = await (await loadModel(reshapeModel('uint8', 128))).createSession();
  await expectError(() => su8.run({ pixels: new Int8Array(24) }), InputError, 'BAD_INPUT', /Int8Array; it takes Float32Array or Uint8Array/);
});

test('a model over the memory limit fails to load with MEMORY_BUDGET', async () => {
  const { memory } = (await loadModel(edgeModel())).info;
  // One arena (plus the kernels' over-read slack, aligned) and the weights fit; two arenas do not.
  const oneSession = memory.weightBytes + memory.arenaBytes + 64 + 16;
  await expectError(() => loadModel(edgeModel(), { memoryLimit: memory.arenaBytes }), ModelError, 'MEMORY_BUDGET', new RegExp(`limit of ${memory.arenaBytes} bytes`));
  const model = await loadModel(edgeModel(), { memoryLimit: oneSession });
  const a = await model.createSession();
  await expectError(() => model.createSession(), ModelError, 'MEMORY_BUDGET');
  a.release();
  const b = await model.createSession();
  assert.ok((await b.run({ x: new Float32Array(24) })).y);
  await expectError(() => a.run({ x: new Float32Array(24) }), WasmqError, 'SESSION_RELEASED');
  await expectError(() => loadModel(edgeModel(), { memoryLimit: -1 }), WasmqError, 'BAD_OPTION');
});

test('sessions of one model have separate arenas', async () => {
  const model = await loadModel(reshapeModel('int8', 0));
  const [a, b] = [await model.createSession(), await model.createSession()];
  const xa = randomInt8(prng(1), 24), xb = randomInt8(prng(2), 24);
  await a.run({ pixels: xa });
  const ob = await b.run({ pixels: xb }, { raw: true });
  const oa = await a.run({ pixels: xa }, { raw: true });
  assert.equal(Array.from(oa.flat), Array.from(xa));
  assert.equal(Array.from(ob.flat), Array.from(xb));
});

test('profile: one timing per op, in order', async () => {
  const session = await (await loadModel(edgeModel())).createSession();
  const { outputs, profile } = await session.run({ x: new Float32Array(24) }, { profile: true });
  assert.ok(outputs.y instanceof Float32Array);
  assert.equal(profile.map((p) => [p.op, p.kind, p.name]), [[0, 'Quantize', 'quant'], [1, 'Reshape', undefined], [2, 'Dequantize', 'dequant']]);
  assert.ok(profile.every((p) => p.ms >= 0 && Number.isFinite(p.ms)));
});

test('graph errors are ModelErrors that name the op or tensor', async () => {
  const g = new GraphBuilder();
  const x = g.input('x', [4], 'int8', { scale: 1 });
  const y = g.tensor('y', [4], 'int8', { scale: 1 });
  g.op('Reshape', [y], [x], {}, 'backwards');
  await expectError(() => loadModel(g.build(x)), ModelError, 'BAD_GRAPH', /op 0 'backwards' \(Reshape\).*tensor 1 'y' is used before/);
  const h = new GraphBuilder();
  const a = h.input('a', [4], 'int8', { scale: 1 });
  const b = h.tensor('b', [5], 'int8', { scale: 1 });
  h.op('Reshape', [a], [b], {});
  await expectError(() => loadModel(h.build(b)), ModelError, 'BAD_SHAPE', /op 0 \(Reshape\).*'b'/);
  const m = reshapeModel('int8', 0);
  m.outputs = [99];
  await expectError(() => loadModel(m), ModelError, 'BAD_TENSOR_INDEX', /tensor index 99/);
});

test.run();
