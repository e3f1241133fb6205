import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { planArena, alignUp, ARENA_ALIGN, type BufferRequest } from '../../src/runtime/planner.js';
import { prng } from '../ref/prng.js';
import { loadModel } from '../../src/index.js';
import { randomChain } from '../ops/random-chains.js';
import { smallCnn } from '../format/fixtures.js';

const overlapsInTime = (a: BufferRequest, b: BufferRequest): boolean => a.first <= b.last && b.first <= a.last;

/** Brute force: the largest sum of aligned sizes live at one step. */
function bruteLowerBound(reqs: BufferRequest[]): number {
  let best = 0;
  const end = Math.max(0, ...reqs.map((r) => r.last));
  for (let s = 0; s <= end; s++) {
    best = Math.max(best, reqs.filter((r) => r.first <= s && s <= r.last).reduce((a, r) => a + alignUp(r.size), 0));
  }
  return best;
}

test('buffers with disjoint lifetimes all share offset 0', () => {
  const plan = planArena([{ size: 100, first: 0, last: 0 }, { size: 300, first: 1, last: 1 }, { size: 50, first: 2, last: 3 }]);
  assert.equal(plan.offsets, [0, 0, 0]);
  assert.is(plan.peak, 320);
  assert.is(plan.lowerBound, 320);
});

test('buffers that are all live together are stacked, largest first, and the plan meets the bound', () => {
  const plan = planArena([{ size: 64, first: 0, last: 5 }, { size: 200, first: 1, last: 3 }, { size: 1, first: 2, last: 2 }]);
  assert.equal(plan.offsets, [256, 0, 320]);
  assert.is(plan.peak, 384);
  assert.is(plan.lowerBound, 384);
});

test('a chain a -> b -> c reuses a\'s memory for c', () => {
  const plan = planArena([{ size: 100, first: 0, last: 1 }, { size: 200, first: 1, last: 2 }, { size: 100, first: 2, last: 3 }]);
  assert.is(plan.offsets[0], plan.offsets[2]);
  assert.is(plan.peak, 384);
  assert.is(plan.lowerBound, 384);
});

test('an empty request list needs no arena', () => {
  assert.equal(planArena([]), { offsets: [], peak: 0, lowerBound: 0 });
});

test('random lifetimes: no two buffers live at the same time share a byte; peak >= lower bound; offsets aligned', () => {
  for (let seed = 1; seed <= 400; seed++) {
    const rng = prng(seed);
    const steps = rng.int(1, 40);
    const n = rng.int(1, 60);
    const reqs: BufferRequest[] = [];
    for (let i = 0; i < n; i++) {
      const first = rng.int(0, steps - 1);
      reqs.push({ size: rng.int(0, 4) === 0 ? rng.int(1, 64) : rng.int(1, 100_000), first, last: rng.int(first, Math.min(steps - 1, first + rng.int(0, 8))) });
    }
    const plan = planArena(reqs);
    for (let i = 0; i < n; i++) {
      assert.is(plan.offsets[i] % ARENA_ALIGN, 0, `seed ${seed}: buffer ${i} misaligned`);
      assert.ok(plan.offsets[i] + reqs[i].size <= plan.peak, `seed ${seed}: buffer ${i} ends past the peak`);
      for (let j = i + 1; j < n; j++) {
        if (!overlapsInTime(reqs[i], reqs[j])) continue;
        const apart = plan.offsets[i] + reqs[i].size <= plan.offsets[j] || plan.offsets[j] + reqs[j].size <= plan.offsets[i];
        assert.ok(apart, `seed ${seed}: buffers ${i} and ${j} are live together and overlap in memory`);
      }
    }
    assert.is(plan.lowerBound, bruteLowerBound(reqs), `seed ${seed}: lower bound`);
    assert.ok(plan.peak >= plan.lowerBound, `seed ${seed}: peak below the lower bound`);
  }
});

test('random graphs: tensors live at the same time never share bytes, Reshape outputs share their input\'s', async () => {
  const models = [smallCnn(1), ...Array.from({ length: 30 }, (_, i) => randomChain(prng(1000 + i)))];
  for (const [n, model] of models.entries()) {
    const { memory } = (await loadModel(model)).info;
    const placed = memory.tensors;
    assert.ok(memory.arenaBytes >= memory.arenaLowerBound, `model ${n}: arena below its lower bound`);
    for (const p of placed) {
      assert.ok(p.offset % ARENA_ALIGN === 0 && p.offset + p.bytes <= memory.arenaBytes, `model ${n}: tensor ${p.tensor} placement`);
      const op = model.ops.find((o) => o.outputs[0] === p.tensor);
      if (op?.kind === 'Reshape') assert.is(p.offset, placed.find((q) => q.tensor === op.inputs[0])!.offset, `model ${n}: reshape ${p.tensor} aliases`);
    }
    for (const a of placed) {
      for (const b of placed) {
        if (a.storage === b.storage || a.tensor >= b.tensor || a.last < b.first || b.last < a.first) continue;
        const apart = a.offset + a.bytes <= b.offset || b.offset + b.bytes <= a.offset;
        assert.ok(apart, `model ${n}: tensors ${a.tensor} and ${b.tensor} are live together and overlap in memory`);
      }
    }
  }
});

test.run();
