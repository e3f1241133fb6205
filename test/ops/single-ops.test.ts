// Every op alone, on seeded random shapes and parameters, through loadModel/createSession/run: raw int8
// outputs equal the reference interpreter's byte for byte.
import { test } from 'uvu';
import { expectMatchesReference } from './harness.js';
import { prng, type Rng } from '../ref/prng.js';
import { fullyConnectedCase, poolCase, meanCase, conv2dCase, depthwiseCase, binaryCase, unaryCase, softmaxCase, requantizeCase, concatenationCase, padCase, quantizeFloatCase, dequantizeCase, type Case } from './random-models.js';

const CASES: Record<string, [number, (rng: Rng) => Case]> = {
  FullyConnected: [120, fullyConnectedCase],
  MaxPool2D: [80, (rng) => poolCase(rng, 'MaxPool2D')],
  AveragePool2D: [80, (rng) => poolCase(rng, 'AveragePool2D')],
  Mean: [80, meanCase],
  Conv2D: [100, conv2dCase],
  DepthwiseConv2D: [100, depthwiseCase],
  Add: [80, (rng) => binaryCase(rng, 'Add')],
  Mul: [80, (rng) => binaryCase(rng, 'Mul')],
  Logistic: [25, (rng) => unaryCase(rng, 'Logistic')],
  Tanh: [25, (rng) => unaryCase(rng, 'Tanh')],
  HardSwish: [25, (rng) => unaryCase(rng, 'HardSwish')],
  LeakyRelu: [25, (rng) => unaryCase(rng, 'LeakyRelu')],
  Relu: [40, (rng) => unaryCase(rng, 'Relu')],
  Relu6: [40, (rng) => unaryCase(rng, 'Relu6')],
  Softmax: [50, softmaxCase],
  'Quantize (requantize)': [60, requantizeCase],
  'Quantize (float)': [40, quantizeFloatCase],
  Dequantize: [40, dequantizeCase],
  Concatenation: [80, concatenationCase],
  Pad: [60, padCase],
};

for (const [kind, [n, make]] of Object.entries(CASES)) {
  test(`${kind}: ${n} random models match the reference byte for byte`, async () => {
    for (let seed = 1; seed <= n; seed++) {
      const c = make(prng(seed * 7919 + kind.length));
      await expectMatchesReference(c.model, [c.feeds], `${kind} seed ${seed} (${c.describe})`);
    }
  });
}

test.run();
