// Every float32 op alone, on seeded random shapes and parameters, through loadModel/createSession/run: each
// output within the float64 reference's stated allowance (test/ref/float-model.ts).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { loadModel } from '../../src/index.js';
import { interpretFloat } from '../ref/float-model.js';
import { prng, type Rng } from '../ref/prng.js';
import * as M from './float-models.js';

const CASES: Record<string, [number, (rng: Rng) => M.FloatCase]> = {
  Conv2D: [60, (rng) => M.convCase(rng, false)],
  DepthwiseConv2D: [60, (rng) => M.convCase(rng, true)],
  FullyConnected: [60, (rng) => M.fullyConnectedCase(rng)],
  'Conv2D weight-only': [30, (rng) => M.convCase(rng, false, true)],
  'DepthwiseConv2D weight-only': [30, (rng) => M.convCase(rng, true, true)],
  'FullyConnected weight-only': [30, (rng) => M.fullyConnectedCase(rng, true)],
  Add: [60, (rng) => M.binaryCase(rng, 'Add')],
  Mul: [60, (rng) => M.binaryCase(rng, 'Mul')],
  MaxPool2D: [40, (rng) => M.poolCase(rng, 'MaxPool2D')],
  AveragePool2D: [40, (rng) => M.poolCase(rng, 'AveragePool2D')],
  Mean: [40, M.meanCase],
  Concatenation: [40, M.concatenationCase],
  Pad: [40, M.padCase],
  Reshape: [10, M.reshapeCase],
  Softmax: [30, (rng) => M.unaryCase(rng, 'Softmax')],
  Logistic: [20, (rng) => M.unaryCase(rng, 'Logistic')],
  Tanh: [20, (rng) => M.unaryCase(rng, 'Tanh')],
  HardSwish: [20, (rng) => M.unaryCase(rng, 'HardSwish')],
  LeakyRelu: [20, (rng) => M.unaryCase(rng, 'LeakyRelu')],
  Relu: [20, (rng) => M.unaryCase(rng, 'Relu')],
  Relu6: [20, (rng) => M.unaryCase(rng, 'Relu6')],
};

export async function expectNearReference(c: M.FloatCase, label: string): Promise<void> {
  const model = await loadModel(c.model);
  const session = await model.createSession();
  const feeds = Object.fromEntries(c.model.inputs.map((t, i) => [c.model.tensors[t].name, c.feeds[i]]));
  const out = await session.run(feeds);
  const ref = interpretFloat(c.model, c.feeds);
  for (const t of c.model.outputs) {
    const got = out[c.model.tensors[t].name], want = ref.exact[t]!, allowed = ref.allowance[t]!;
    assert.ok(got instanceof Float32Array, `${label}: float output`);
    assert.is(got.length, want.length, `${label}: output length`);
    for (let i = 0; i < want.length; i++) {
      if (!(Math.abs(got[i] - want[i]) <= allowed[i])) assert.unreachable(`${label}: output[${i}] = ${got[i]}, reference ${want[i]} (allowed error ${allowed[i]})`);
    }
  }
}

for (const [kind, [n, make]] of Object.entries(CASES)) {
  test(`float ${kind}: ${n} random models within the reference's allowance`, async () => {
    for (let seed = 1; seed <= n; seed++) {
      const c = make(prng(seed * 104729 + kind.length));
      await expectNearReference(c, `${kind} seed ${seed} (${c.describe})`);
    }
  });
}

test.run();
