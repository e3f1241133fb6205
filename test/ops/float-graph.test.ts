// A small float CNN end to end (conv -> depthwise -> add -> pool -> mean -> fc -> softmax) against the float64
// reference; the same CNN with int8 weight-only weights; weight-only single layers within the weight
// quantization error bound.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Model } from '../../src/format/model.js';
import type { ConvGeometry } from '../../src/runtime/kernels/dwconv.js';
import { loadModel } from '../../src/index.js';
import { writeModel } from '../../src/format/index.js';
import { GraphBuilder } from '../runtime/build.js';
import { interpretFloat } from '../ref/float-model.js';
import { convF32Ref, depthwiseF32Ref, gemmF32Ref } from '../ref/f32.js';
import { prng, randomFloat32 } from '../ref/prng.js';
import { count, expectClose, quantizeWeights, smallCnn } from './float-cnn.js';

test('a float CNN matches the float64 reference end to end, and its probabilities sum to 1', async () => {
  for (let seed = 1; seed <= 5; seed++) {
    const model = smallCnn(prng(seed));
    const session = (await loadModel(model)).createSessionSync();
    const image = randomFloat32(prng(seed + 100), 12 * 12 * 3);
    const { probs } = await session.run({ image });
    expectClose(probs as Float32Array, interpretFloat(model, [image]).values[model.outputs[0]]!, `seed ${seed} probs`);
    assert.ok(Math.abs(probs.reduce((a, b) => a + b, 0) - 1) < 1e-5, 'probabilities sum to 1');
    // the same session again: nothing is left over from the first run
    expectClose((await session.run({ image })).probs as Float32Array, probs as Float32Array, `seed ${seed} second run`);
  }
});

test('the weight-only CNN (int8 weights) matches the reference of its dequantized weights', async () => {
  for (let seed = 1; seed <= 5; seed++) {
    const model = smallCnn(prng(seed), 'int8');
    assert.ok(model.tensors.some((t) => t.dtype === 'int8'), 'has int8 weights');
    const session = (await loadModel(model)).createSessionSync();
    const image = randomFloat32(prng(seed + 100), 12 * 12 * 3);
    const { probs } = await session.run({ image });
    expectClose(probs as Float32Array, interpretFloat(model, [image]).values[model.outputs[0]]!, `seed ${seed} probs`);
  }
});

test('float and weight-only models go through a .wasmq file unchanged: same outputs from the bytes', async () => {
  for (const mode of ['float', 'int8'] as const) {
    const model = smallCnn(prng(21), mode);
    const image = randomFloat32(prng(22), 12 * 12 * 3);
    const direct = (await (await loadModel(model)).createSessionSync().run({ image })).probs;
    const fromFile = (await (await loadModel(writeModel(model))).createSessionSync().run({ image })).probs;
    assert.equal(Array.from(fromFile), Array.from(direct), mode);
  }
});

test('float op errors are typed and name the op: a float conv with an int8 output, a bias of the wrong length', async () => {
  const model = smallCnn(prng(23));
  const badOut = structuredClone(model);
  badOut.tensors[badOut.ops[0].outputs[0]] = { ...badOut.tensors[badOut.ops[0].outputs[0]], dtype: 'int8', quant: { scales: Float32Array.of(0.1), zeroPoints: Int32Array.of(0), axis: -1 } };
  const badBias = structuredClone(model);
  const b = badBias.ops[0].inputs[2];
  badBias.tensors[b] = { ...badBias.tensors[b], shape: [7] };
  badBias.buffers[badBias.tensors[b].buffer!] = new Uint8Array(28);
  for (const [m, code, text] of [[badOut, 'BAD_TYPE', "op 0 'conv1' (Conv2D)"], [badBias, 'BAD_SHAPE', "bias 'conv1/b'"]] as const) {
    try {
      await loadModel(m);
      assert.unreachable('should be refused');
    } catch (e) {
      const err = e as { code?: string; message: string };
      assert.is(err.code, code, err.message);
      assert.ok(err.message.includes(text), err.message);
    }
  }
});

// One layer, float weights W vs int8 weights q with scales s (|W - s q| <= s/2 per weight): for output channel c
// |y_int8 - y_float| <= (s_c / 2) * sum over the window of |x| (the clamps are 1-Lipschitz), plus the float32
// rounding of both runs, (K + 2) * 2^-24 * sum |terms| each, and the weights' own float32 rounding.
type Layer = 'Conv2D' | 'DepthwiseConv2D' | 'FullyConnected';

function layerModel(kind: Layer, g0: ConvGeometry, w: Float32Array | { q: Int8Array; scales: number[] }, wShape: number[], axis: number): Model {
  const g = new GraphBuilder();
  const inShape = kind === 'FullyConnected' ? [g0.batch, g0.inC] : [g0.batch, g0.inH, g0.inW, g0.inC];
  const outShape = kind === 'FullyConnected' ? [g0.batch, g0.outC] : [g0.batch, g0.outH, g0.outW, g0.outC];
  const x = g.input('x', inShape, 'float32');
  const y = g.tensor('y', outShape, 'float32');
  const wt = w instanceof Float32Array ? g.tensor('w', wShape, 'float32', undefined, w) : g.tensor('w', wShape, 'int8', { scale: w.scales, axis }, w.q);
  const conv = { strideH: g0.strideH, strideW: g0.strideW, dilationH: 1, dilationW: 1, padTop: g0.padTop, padBottom: g0.padTop, padLeft: g0.padLeft, padRight: g0.padLeft, activation: 'relu6' as const };
  if (kind === 'Conv2D') g.op(kind, [x, wt], [y], conv);
  else if (kind === 'DepthwiseConv2D') g.op(kind, [x, wt], [y], { ...conv, depthMultiplier: 1 });
  else g.op(kind, [x, wt], [y], { activation: 'none' });
  return g.build(y);
}

for (const kind of ['Conv2D', 'DepthwiseConv2D', 'FullyConnected'] as const) {
  test(`weight-only ${kind}: within the weight quantization error bound of the float layer`, async () => {
    let changed = 0, worst = 0;
    for (let seed = 1; seed <= 20; seed++) {
      const rng = prng(seed * 31 + kind.length);
      const inC = rng.int(1, 24), outC = kind === 'DepthwiseConv2D' ? inC : rng.int(1, 24), k = kind === 'FullyConnected' ? 1 : 3;
      const inH = kind === 'FullyConnected' ? 1 : rng.int(3, 10), inW = kind === 'FullyConnected' ? 1 : rng.int(3, 10);
      const pad = k === 3 ? 1 : 0;
      const g: ConvGeometry = { batch: rng.int(1, 3), inH, inW, inC, outH: inH, outW: inW, outC, kH: k, kW: k, strideH: 1, strideW: 1, dilationH: 1, dilationW: 1, padTop: pad, padLeft: pad };
      const wShape = kind === 'Conv2D' ? [outC, k, k, inC] : kind === 'DepthwiseConv2D' ? [1, k, k, outC] : [outC, inC];
      const axis = kind === 'DepthwiseConv2D' ? 3 : 0;
      const wf = randomFloat32(rng, count(wShape), 0.5);
      const wq = quantizeWeights(wf, wShape, axis);
      const x = randomFloat32(rng, g.batch * inH * inW * inC, 1.5);
      const run = async (m: Model) => (await (await loadModel(m)).createSessionSync().run({ x })).y as Float32Array;
      const yf = await run(layerModel(kind, g, wf, wShape, axis));
      const yq = await run(layerModel(kind, g, wq, wShape, axis));
      // sum of |x| over each output's window, and the float runs' rounding allowance
      const absX = x.map(Math.abs), ones = new Float32Array(wf.length).fill(1);
      const window = kind === 'Conv2D' ? convF32Ref(g, absX, ones, undefined, -Infinity, Infinity)
        : kind === 'DepthwiseConv2D' ? depthwiseF32Ref(g, absX, ones, undefined, -Infinity, Infinity)
          : gemmF32Ref(absX, inC, ones, undefined, g.batch, outC, inC, -Infinity, Infinity);
      const terms = kind === 'Conv2D' ? k * k * inC : kind === 'DepthwiseConv2D' ? k * k : inC;
      const wMax = wf.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
      for (let o = 0; o < yf.length; o++) {
        const c = o % outC;
        const bound = (wq.scales[c] / 2) * window.out[o] + (2 * (terms + 2) * 2 ** -24 + 2 ** -23) * wMax * window.out[o] + 1e-7;
        const err = Math.abs(yq[o] - yf[o]);
        if (!(err <= bound)) assert.unreachable(`${kind} seed ${seed}: output ${o}: |${yq[o]} - ${yf[o]}| = ${err} > bound ${bound}`);
        worst = Math.max(worst, err / bound);
      }
      if (yf.some((v, o) => v !== yq[o])) changed++;
    }
    // not vacuous: quantization does move the outputs, by a sizeable share of the bound
    assert.ok(changed >= 10, `weight quantization changed outputs in only ${changed} of 20 cases`);
    assert.ok(worst > 0.05, `largest error / bound ${worst}`);
  });
}

test.run();
