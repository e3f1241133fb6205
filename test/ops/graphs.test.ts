// Whole graphs through the public API — written to .wasmq bytes and loaded back — against the reference
// interpreter: raw outputs equal byte for byte.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { loadModel, ModelError } from '../../src/index.js';
import { OP_KINDS, type Model } from '../../src/format/model.js';
import { writeModel } from '../../src/format/write.js';
import { OP_REGISTRY } from '../../src/ops/registry.js';
import { smallCnn, singleOpModel } from '../format/fixtures.js';
import { prng } from '../ref/prng.js';
import { expectMatchesReference, randomFeeds } from './harness.js';
import { randomChain } from './random-chains.js';

async function expectGraphMatches(model: Model, seed: number, label: string): Promise<void> {
  const rng = prng(seed);
  await expectMatchesReference(model, [randomFeeds(model, rng), randomFeeds(model, rng), randomFeeds(model, rng)], label, true);
}

test('the small CNN (quantize, conv, depthwise, 1x1 conv, add, pool, mean, fc, softmax, dequantize) matches the reference', async () => {
  for (let seed = 1; seed <= 8; seed++) await expectGraphMatches(smallCnn(seed), seed, `smallCnn(${seed})`);
});

test('seeded random CNN chains (every layer drawn at random) match the reference', async () => {
  for (let seed = 1; seed <= 40; seed++) await expectGraphMatches(randomChain(prng(seed)), seed, `randomChain(${seed})`);
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
