// Whole graphs through the public API — written to .wasmq bytes and loaded back — against the reference
// interpreter: raw outputs equal byte for byte.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { loadModel, ModelError } from '../../src/index.js';
import { OP_KINDS, type Model } from '../../src/format/model.js';
import { writeModel } from '../../src/format/write.js';
import { OP_REGISTRY } from '../../src/ops/registry.js';
import { toInt8Model } from '../../src/runtime/normalize.js';
import { smallCnn, singleOpModel } from '../format/fixtures.js';
import { interpret, type Value } from '../ref/interpreter.js';
import { prng, randomInt8, type Rng } from '../ref/prng.js';

/** Random data for each graph input: floats in [-1.2, 1.2], or raw 8-bit values. */
function randomFeeds(model: Model, rng: Rng): (Float32Array | Int8Array | Uint8Array)[] {
  return model.inputs.map((i) => {
    const t = model.tensors[i];
    const n = t.shape.reduce((a, b) => a * b, 1);
    if (t.dtype === 'float32') return Float32Array.from({ length: n }, () => Math.fround(2.4 * rng.float() - 1.2));
    if (t.dtype === 'uint8') return Uint8Array.from({ length: n }, () => rng.int(0, 255));
    return randomInt8(rng, n);
  });
}

/** The reference on the int8 form of the model (uint8 values shifted by 128, exactly). */
function reference(model: Model, feeds: (Float32Array | Int8Array | Uint8Array)[]): Value[] {
  const asInt8 = feeds.map((f) => (f instanceof Uint8Array ? Int8Array.from(f, (v) => v - 128) : f));
  const values = interpret(toInt8Model(model), asInt8);
  return model.outputs.map((o) => {
    const v = values[o] as Value;
    return model.tensors[o].dtype === 'uint8' ? (Uint8Array.from(v as Int8Array, (q) => q + 128) as unknown as Value) : v;
  });
}

async function expectGraphMatches(model: Model, seed: number, label: string): Promise<void> {
  const loaded = await loadModel(writeModel(model));
  const session = await loaded.createSession();
  const rng = prng(seed);
  for (let run = 0; run < 3; run++) {
    const feeds = randomFeeds(model, rng);
    const out = await session.run(Object.fromEntries(model.inputs.map((i, k) => [model.tensors[i].name, feeds[k]])), { raw: true });
    const want = reference(model, feeds);
    model.outputs.forEach((o, k) => {
      const got = out[model.tensors[o].name];
      assert.is(got.constructor, want[k].constructor, `${label}: output type`);
      assert.equal(Array.from(got), Array.from(want[k]), `${label} run ${run}: outputs differ from the reference`);
    });
  }
}

test('the small CNN (quantize, conv, depthwise, 1x1 conv, add, pool, mean, fc, softmax, dequantize) matches the reference', async () => {
  for (let seed = 1; seed <= 8; seed++) await expectGraphMatches(smallCnn(seed), seed, `smallCnn(${seed})`);
});

test('every op kind alone: supported kinds match the reference, the others are UNSUPPORTED_OP at load', async () => {
  for (const kind of OP_KINDS) {
    const model = singleOpModel(kind, 3);
    if (OP_REGISTRY[kind]) {
      await expectGraphMatches(model, 5, kind);
    } else {
      try {
        await loadModel(model);
        assert.unreachable(`${kind} loaded without a kernel`);
      } catch (e) {
        assert.instance(e, ModelError);
        assert.is((e as ModelError).code, 'UNSUPPORTED_OP');
        assert.match((e as Error).message, `(${kind})`);
      }
    }
  }
});

test('sessions of one model give the same results as a fresh model, run after run', async () => {
  const model = smallCnn(4);
  const loaded = await loadModel(writeModel(model));
  const [a, b] = [await loaded.createSession(), await loaded.createSession()];
  const feeds = randomFeeds(model, prng(9));
  const feed = { image: feeds[0] };
  const first = (await a.run(feed)).probs;
  for (let i = 0; i < 3; i++) {
    await b.run({ image: randomFeeds(model, prng(100 + i))[0] });
    assert.equal(Array.from((await a.run(feed)).probs), Array.from(first));
  }
  assert.equal(Array.from((await b.run(feed)).probs), Array.from(first));
});

test.run();
