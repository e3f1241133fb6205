// The tensor observer (RunOptions.observe): every activation once per run, graph inputs first and then each
// op's output in execution order, with the values the reference computes; int8 tensors raw; a throwing
// observer aborts only its own run.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { loadModel, WasmqError } from '../../src/index.js';
import { writeModel } from '../../src/format/index.js';
import { GraphBuilder } from '../runtime/build.js';
import { interpretFloat } from '../ref/float-model.js';
import { interpret } from '../ref/interpreter.js';
import { prng, randomFloat32, randomInt8 } from '../ref/prng.js';
import { expectClose, smallCnn } from './float-cnn.js';

type Seen = { tensor: number; values: Float32Array | Int8Array | Uint8Array };

function recorder(): { seen: Seen[]; observe: (t: number, v: Float32Array | Int8Array | Uint8Array) => void } {
  const seen: Seen[] = [];
  return { seen, observe: (tensor, values) => seen.push({ tensor, values: values.slice() }) };
}

test('float CNN: every activation once, in execution order, with the reference values', async () => {
  const model = smallCnn(prng(7));
  const session = (await loadModel(model)).createSessionSync();
  const image = randomFloat32(prng(8), 12 * 12 * 3);
  const ref = interpretFloat(model, [image]);
  for (let run = 0; run < 2; run++) {
    const { seen, observe } = recorder();
    const out = await session.run({ image }, { observe });
    assert.equal(seen.map((s) => s.tensor), [...model.inputs, ...model.ops.map((op) => op.outputs[0])], 'order');
    for (const s of seen) {
      assert.ok(s.values instanceof Float32Array, `tensor ${s.tensor} is a Float32Array`);
      expectClose(s.values as Float32Array, ref.values[s.tensor]!, `run ${run} tensor ${s.tensor} '${model.tensors[s.tensor].name}'`);
    }
    // the observed output is exactly what the run returns
    assert.equal(Array.from(seen[seen.length - 1].values), Array.from(out.probs));
  }
});

test('int8 graph: raw Int8Array values equal the int8 reference interpreter; float edges as Float32Array', async () => {
  const rng = prng(3);
  const g = new GraphBuilder();
  const x = g.input('x', [2, 16], 'float32');
  const xq = g.tensor('xq', [2, 16], 'int8', { scale: 0.02, zeroPoint: 3 });
  g.op('Quantize', [x], [xq], {});
  const w = g.tensor('w', [5, 16], 'int8', { scale: [0.01, 0.02, 0.03, 0.015, 0.005], axis: 0 }, randomInt8(rng, 80, -127, 127));
  const y = g.tensor('y', [2, 5], 'int8', { scale: 0.05, zeroPoint: -4 });
  g.op('FullyConnected', [xq, w], [y], { activation: 'none' });
  const flat = g.tensor('flat', [10], 'int8', { scale: 0.05, zeroPoint: -4 });
  g.op('Reshape', [y], [flat], {});
  const out = g.tensor('out', [10], 'float32');
  g.op('Dequantize', [flat], [out], {});
  const model = g.build(out);
  const feed = randomFloat32(rng, 32, 1);
  const ref = interpret(model, [feed]);
  const { seen, observe } = recorder();
  const session = (await loadModel(model)).createSessionSync();
  await session.run({ x: feed }, { observe });
  assert.equal(seen.map((s) => s.tensor), [x, xq, y, flat, out]);
  for (const s of seen) {
    const want = ref[s.tensor]!;
    assert.is(s.values.constructor, model.tensors[s.tensor].dtype === 'int8' ? Int8Array : Float32Array, `tensor ${s.tensor} type`);
    assert.equal(Array.from(s.values), Array.from(want), `tensor ${s.tensor} values`);
  }  // a model loaded from bytes tells the observer's caller how to read each index
  const fromFile = await loadModel(writeModel(model));
  for (const s of seen) {
    const info = fromFile.tensorInfo(s.tensor), t = model.tensors[s.tensor];
    assert.equal([info.name, info.dtype, info.shape], [t.name, t.dtype, t.shape]);
    if (t.quant) assert.equal([info.quantization!.scales[0], info.quantization!.zeroPoints[0]], [t.quant.scales[0], t.quant.zeroPoints[0]]);
  }
  for (const bad of [-1, model.tensors.length, 1.5]) {
    try {
      fromFile.tensorInfo(bad);
      assert.unreachable('should throw');
    } catch (e) {
      assert.ok(e instanceof WasmqError && e.code === 'BAD_INPUT', String(e));
    }
  }
});

test('uint8 tensors are observed as the uint8 values of the file', async () => {
  const g = new GraphBuilder();
  const x = g.input('x', [40], 'float32');
  const xq = g.tensor('xq', [40], 'uint8', { scale: 0.05, zeroPoint: 128 });
  g.op('Quantize', [x], [xq], {});
  const out = g.tensor('out', [40], 'float32');
  g.op('Dequantize', [xq], [out], {});
  const model = g.build(out);
  const feed = randomFloat32(prng(5), 40, 4);
  const { seen, observe } = recorder();
  await (await loadModel(model)).createSessionSync().run({ x: feed }, { observe });
  assert.equal(seen.map((s) => s.tensor), [x, xq, out]);
  assert.ok(seen[1].values instanceof Uint8Array);
  const want = Array.from(feed, (v) => Math.max(0, Math.min(255, Math.sign(v) * Math.round(Math.abs(Math.fround(v / Math.fround(0.05)))) + 128)));
  assert.equal(Array.from(seen[1].values), want);
});

test('the view is only valid during the callback: it lies in wasm memory, later ops overwrite the arena', async () => {
  const model = smallCnn(prng(9));
  const session = (await loadModel(model)).createSessionSync();
  const image = randomFloat32(prng(10), 12 * 12 * 3);
  const views: Float32Array[] = [];
  await session.run({ image }, { observe: (_, v) => views.push(v as Float32Array) });
  // every view is over one and the same (wasm) buffer, not a copy
  assert.ok(views.every((v) => v.buffer === views[0].buffer) && views[0].buffer.byteLength > image.byteLength * 10);
});

test('a throwing observer rejects its run; the next run works and gives the same outputs', async () => {
  const model = smallCnn(prng(11));
  const session = (await loadModel(model)).createSessionSync();
  const image = randomFloat32(prng(12), 12 * 12 * 3);
  const before = (await session.run({ image })).probs;
  const boom = new Error('observer failed');
  let calls = 0;
  try {
    await session.run({ image }, { observe: (t) => { calls++; if (t === model.ops[2].outputs[0]) throw boom; } });
    assert.unreachable('the run should reject');
  } catch (e) {
    assert.is(e, boom);
  }
  assert.is(calls, 4, 'stopped at the throwing callback (input, conv1, dw1, add)');
  assert.equal(Array.from((await session.run({ image })).probs), Array.from(before));
  const { seen, observe } = recorder();
  await session.run({ image }, { observe });
  assert.is(seen.length, model.inputs.length + model.ops.length);
});

test('observe with profile: both work together; a non-function observer is a typed error', async () => {
  const model = smallCnn(prng(13));
  const session = (await loadModel(model)).createSessionSync();
  const image = randomFloat32(prng(14), 12 * 12 * 3);
  const { seen, observe } = recorder();
  const r = await session.run({ image }, { observe, profile: true });
  assert.is(r.profile.length, model.ops.length);
  assert.is(seen.length, model.inputs.length + model.ops.length);
  try {
    await session.run({ image }, { observe: 42 as never });
    assert.unreachable('should throw');
  } catch (e) {
    assert.ok(e instanceof WasmqError && e.code === 'BAD_OPTION', String(e));
  }
});

test.run();
