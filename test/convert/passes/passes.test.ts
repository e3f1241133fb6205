import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { OnnxBuilder } from '../../../src/convert/onnx/builder.js';
import { importOnnx } from '../../../src/convert/onnx/import.js';
import { execute } from '../../../src/convert/ir/execute.js';
import { canonicalizeReshapes, isNoOpTranspose } from '../../../src/convert/passes/canonical-reshape.js';
import { foldBatchNorm } from '../../../src/convert/passes/fold-batchnorm.js';
import { foldConstants } from '../../../src/convert/passes/fold-constants.js';
import { fuseActivations } from '../../../src/convert/passes/fuse-activations.js';
import { gemmToFullyConnected } from '../../../src/convert/passes/gemm-to-fc.js';
import { removeIdentities } from '../../../src/convert/passes/remove-identities.js';
import { toNHWC } from '../../../src/convert/passes/to-nhwc.js';
import { assertModelOps, modelOpKind } from '../../../src/convert/passes/model-ops.js';
import { DEFAULT_PASSES, runPasses } from '../../../src/convert/passes/pipeline.js';
import { cases } from '../onnx/cases.js';
import { paramsToAttrs } from '../../../src/convert/passes/params-to-attrs.js';
import { foldPadIntoConv } from '../../../src/convert/passes/fold-pad.js';
import { fuseHardSwishPattern } from '../../../src/convert/passes/hardswish-pattern.js';
import { subDivToAddMul } from '../../../src/convert/passes/sub-div-to-add-mul.js';
import type { Graph } from '../../../src/convert/ir/graph.js';
import { prng, randomFloat32 } from '../../ref/prng.js';
import { caseNamed, checkPasses } from './harness.js';

const ops = (g: Graph) => g.nodes.map((n) => n.op);
// Every pass alone keeps onnxruntime's results within 1e-5 relative (BN folding and fusion included).
const TOL = 1e-5;

test('constant folding evaluates Shape -> Gather -> Unsqueeze -> Concat into a static Reshape target', async () => {
  const c = caseNamed('shape -> gather');
  const before = importOnnx(c.bytes);
  const g = await checkPasses(c, [foldConstants], TOL);
  assert.equal(ops(g), ['Reshape', 'Gemm']);
  const target = g.nodes[0].inputs[1];
  assert.equal(Array.from(g.tensors.get(target)!.data!), [1, -1]);
  assert.ok(before.nodes.length > 2, 'the input graph is untouched');
});

test('constant folding evaluates float ops on constants (a transposed Constant weight)', async () => {
  const g = await checkPasses(caseNamed('weights from Constant'), [foldConstants], TOL);
  assert.not.ok(ops(g).includes('Transpose'));
});

test('Sub and Div by constants become Add and Mul', async () => {
  const g = await checkPasses(caseNamed('normalization in the graph'), [subDivToAddMul], TOL);
  assert.equal(ops(g), ['Add', 'Mul', 'Conv']);
});

test('constant folding evaluates Slice, Cast, ConstantOfShape and integer Mul/Div on shapes', async () => {
  const g = await checkPasses(caseNamed('shape arithmetic'), [foldConstants], TOL);
  assert.equal(ops(g), ['Reshape', 'Relu', 'Reshape']);
  assert.equal(Array.from(g.tensors.get(g.nodes[2].inputs[1])!.data!), [1, 3, 4, 4]);
});

test('constant parameter inputs (Clip min/max, Pad pads, Mean axes) become attributes', async () => {
  const clip = await checkPasses(caseNamed('conv + clip(0,6) inputs'), [paramsToAttrs], TOL);
  const c = clip.nodes.find((n) => n.op === 'Clip')!;
  assert.equal([c.inputs.length, c.attrs], [1, { min: 0, max: 6 }]);
  const pad = await checkPasses(caseNamed('pad inputs'), [paramsToAttrs], TOL);
  assert.equal(pad.nodes[0].attrs, { pads: [0, 0, 1, 1, 0, 0, 1, 1], value: 0 });
  const mean = await checkPasses(caseNamed('reduce mean axes attribute (opset 13) and input'), [paramsToAttrs], TOL);
  assert.equal([mean.nodes[0].inputs.length, (mean.nodes[0].attrs as { axes: number[] }).axes], [1, [2, 3]]);
});

test('a zero spatial Pad read only by a Conv becomes the Conv\'s padding', async () => {
  const g = await checkPasses(caseNamed('pad inputs'), [paramsToAttrs, foldPadIntoConv], TOL);
  assert.equal(ops(g), ['Conv']);
  assert.equal((g.nodes[0].attrs as { pads: number[] }).pads, [1, 1, 1, 1]);
  // a non-zero pad value stays a Pad
  const v = await checkPasses(caseNamed('pad attrs'), [paramsToAttrs, foldPadIntoConv], TOL);
  assert.equal(ops(v), ['Pad']);
});

test('x * HardSigmoid(x; 1/6, 0.5) becomes HardSwish, then fuses into the conv', async () => {
  const g = await checkPasses(caseNamed('hardswish written as'), [fuseHardSwishPattern], TOL);
  assert.equal(ops(g), ['Conv', 'HardSwish']);
  const f = await checkPasses(caseNamed('hardswish written as'), [fuseHardSwishPattern, fuseActivations], TOL);
  assert.equal(f.nodes.map((n) => [n.op, (n.attrs as { activation: string }).activation]), [['Conv', 'hardswish']]);
  // other HardSigmoid parameters are left alone
  const k = await checkPasses(caseNamed('activations: clip attrs'), [fuseHardSwishPattern], TOL);
  assert.ok(ops(k).includes('HardSigmoid'));
});

test('Identity and Dropout disappear; graph output names survive', async () => {
  const g = await checkPasses(caseNamed('identity, dropout'), [removeIdentities], TOL);
  assert.not.ok(ops(g).some((o) => o === 'Identity' || o === 'Dropout'));
  const b = new OnnxBuilder();
  b.input('x', [1, 3]);
  b.node('Relu', ['x'], ['r']);
  b.node('Identity', ['r'], ['out']);
  b.output('out');
  const h = removeIdentities(importOnnx(b.toBytes()));
  assert.equal(ops(h), ['Relu']);
  assert.equal(h.outputs, ['out']);
  assert.equal(Array.from(execute(h, { x: [-1, 2, -3] }).out), [0, 2, 0]);
});

test('Flatten, Squeeze, Unsqueeze and no-op Transposes become static Reshapes', async () => {
  const g = await checkPasses(caseNamed('identity, dropout'), [canonicalizeReshapes], TOL);
  const reshapes = g.nodes.filter((n) => n.op === 'Reshape');
  assert.is(reshapes.length, 3);
  for (const r of reshapes) assert.is(r.inputs.length, 1);
  assert.ok(isNoOpTranspose([1, 4, 1, 1], [0, 2, 3, 1]));
  assert.not.ok(isNoOpTranspose([1, 4, 2, 1], [0, 2, 3, 1]));
});

test('Gemm (alpha, beta, transB) and MatMul + Add become FullyConnected with [N, K] weights', async () => {
  const g = await checkPasses(caseNamed('global average pool + flatten + gemm'), [gemmToFullyConnected], TOL);
  const fc = g.nodes.find((n) => n.op === 'FullyConnected')!;
  assert.equal(g.tensors.get(fc.inputs[1])!.shape, [6, 4]);
  const m = await checkPasses(caseNamed('reshape (0, -1) + matmul'), [gemmToFullyConnected], TOL);
  assert.equal(ops(m), ['Reshape', 'FullyConnected', 'Relu', 'Softmax']);
  const w = m.tensors.get(m.nodes[1].inputs[1])!;
  assert.equal(w.shape, [4, 12]);
  await checkPasses(caseNamed('gemm without transposes'), [gemmToFullyConnected], TOL);
});

test('BatchNorm folds into the preceding Conv: W\' = γW/σ, b\' = β + γ(b − μ)/σ', async () => {
  const c = caseNamed('conv + batchnorm + relu');
  const g = await checkPasses(c, [foldBatchNorm], TOL);
  assert.equal(ops(g), ['Conv', 'Relu']);
  // check one folded weight and bias against the formula on the original constants
  const src = importOnnx(c.bytes);
  const t = (n: string) => src.tensors.get(n)!.data!;
  const conv = g.nodes[0];
  const sigma = Math.sqrt(t('v')[2] + 1e-3);
  const wi = 2 * 27 + 5;
  assert.ok(Math.abs(g.tensors.get(conv.inputs[1])!.data![wi] - (t('s')[2] * t('w')[wi]) / sigma) < 1e-6);
  assert.ok(Math.abs(g.tensors.get(conv.inputs[2])!.data![2] - (t('bb')[2] + (t('s')[2] * (t('b')[2] - t('m')[2])) / sigma)) < 1e-6);
});

test('BatchNorm without a producer becomes a per-channel depthwise 1x1 conv', async () => {
  const g = await checkPasses(caseNamed('batchnorm on an input'), [foldBatchNorm], TOL);
  assert.equal(ops(g), ['Conv']);
  const n = await checkPasses(caseNamed('batchnorm on an input'), [foldBatchNorm, toNHWC], TOL);
  assert.equal(ops(n), ['DepthwiseConv']);
});

test('BatchNorm on a rank-2 input without a producer becomes Mul + Add', async () => {
  const b = new OnnxBuilder();
  const r = prng(8);
  b.input('x', [2, 3]);
  for (const n of ['s', 'bb', 'm']) b.initializer(n, [3], randomFloat32(r, 3));
  b.initializer('v', [3], [0.5, 1, 2]);
  b.node('BatchNormalization', ['x', 's', 'bb', 'm', 'v'], ['y']);
  b.output('y');
  const g = await checkPasses({ name: 'bn2d', bytes: b.toBytes(), inputs: { x: [2, 3] } }, [foldBatchNorm], TOL);
  assert.equal(ops(g), ['Mul', 'Add']);
});

test('Relu, Clip(0,6), Clip(0,∞) and HardSwish fuse into their producer', async () => {
  const a = await checkPasses(caseNamed('conv + clip(0,6) inputs'), [fuseActivations], TOL);
  assert.equal(a.nodes.map((n) => [n.op, (n.attrs as { activation?: string }).activation]), [['Conv', 'relu6'], ['Conv', 'hardswish']]);
  const r = await checkPasses(caseNamed('clip with only a min input'), [fuseActivations], TOL);
  assert.equal(r.nodes.map((n) => [n.op, (n.attrs as { activation?: string }).activation]), [['Conv', 'relu']]);
  const add = await checkPasses(caseNamed('add broadcast constant'), [fuseActivations], TOL);
  assert.equal(add.nodes.at(-1)!.op, 'Add');
  assert.is((add.nodes.at(-1)!.attrs as { activation: string }).activation, 'relu');
  // standalone: Clip(0, 6) on a graph input -> Relu6; Clip(-0.5, 0.75) stays a Clip
  const s = await checkPasses(caseNamed('standalone relu6 clip'), [fuseActivations], TOL);
  assert.equal(ops(s), ['Relu6', 'Relu', 'Concat']);
  const k = await checkPasses(caseNamed('activations: clip attrs'), [fuseActivations], TOL);
  assert.ok(ops(k).includes('Clip'));
});

test('an activation is not fused into a producer whose output has another reader', () => {
  const b = new OnnxBuilder();
  const r = prng(4);
  b.input('x', [1, 2, 3, 3]);
  b.initializer('w', [2, 2, 1, 1], randomFloat32(r, 4));
  b.node('Conv', ['x', 'w'], ['c']);
  b.node('Relu', ['c'], ['y']);
  b.node('Add', ['c', 'y'], ['z']);
  b.output('z');
  const g = fuseActivations(importOnnx(b.toBytes()));
  assert.equal(ops(g), ['Conv', 'Relu', 'Add']);
  assert.is((g.nodes[0].attrs as { activation: string }).activation, 'none');
});

test('NHWC: conv weights become OHWI, depthwise weights 1HWC, concat/mean/pad/softmax axes follow', async () => {
  const c = await checkPasses(caseNamed('conv 3x3 pad 1 stride 2'), [toNHWC], TOL);
  const src = importOnnx(caseNamed('conv 3x3 pad 1 stride 2').bytes);
  const w = c.tensors.get(c.nodes[0].inputs[1])!, w0 = src.tensors.get('w')!.data!;
  assert.equal(w.shape, [4, 3, 3, 3]);
  // OHWI[o=1, h=2, w=0, i=2] = OIHW[1, 2, 2, 0]
  assert.is(w.data![((1 * 3 + 2) * 3 + 0) * 3 + 2], w0[((1 * 3 + 2) * 3 + 2) * 3 + 0]);
  const d = await checkPasses(caseNamed('depthwise conv'), [toNHWC], TOL);
  assert.equal(ops(d), ['DepthwiseConv']);
  assert.equal(d.tensors.get(d.nodes[0].inputs[1])!.shape, [1, 3, 3, 6]);
  await checkPasses(caseNamed('grouped conv'), [toNHWC], TOL);
  await checkPasses(caseNamed('concat on channels'), [toNHWC], TOL);
  await checkPasses(caseNamed('reduce mean axes attribute (opset 13) and input'), [toNHWC], TOL);
  await checkPasses(caseNamed('pad inputs'), [toNHWC], TOL);
  await checkPasses(caseNamed('softmax over channels'), [toNHWC], TOL);
  await checkPasses(caseNamed('add broadcast constant per channel'), [toNHWC], TOL);
});

test('NHWC: a Flatten before a FullyConnected permutes the FC weights so results equal the NCHW flatten', async () => {
  const c = caseNamed('conv + flatten of a 3x3 map');
  const g = await checkPasses(c, [canonicalizeReshapes, gemmToFullyConnected, toNHWC], TOL);
  assert.equal(ops(g), ['Conv', 'Reshape', 'FullyConnected'], 'no Transpose inserted');
  const nchw = gemmToFullyConnected(canonicalizeReshapes(importOnnx(c.bytes)));
  const before = nchw.tensors.get(nchw.nodes[2].inputs[1])!.data!, after = g.tensors.get(g.nodes[2].inputs[1])!.data!;
  // weight column for (c=3, h=1, w=2) moves from 3*9 + 1*3 + 2 to (1*3 + 2)*4 + 3
  for (let n = 0; n < 5; n++) assert.is(after[n * 36 + (1 * 3 + 2) * 4 + 3], before[n * 36 + 3 * 9 + 1 * 3 + 2]);
  assert.not.equal(Array.from(after), Array.from(before), 'the weights really moved');
});

test('batch 2 through all passes: Conv(relu6) -> MaxPool -> Reshape -> FullyConnected with permuted weights', async () => {
  const g = await checkPasses(caseNamed('batch 2'), DEFAULT_PASSES, TOL);
  assert.equal(g.nodes.map((n) => [n.op, (n.attrs as { activation?: string }).activation ?? '']), [['Conv', 'relu6'], ['MaxPool', 'none'], ['Reshape', ''], ['FullyConnected', 'none']]);
  assert.equal(g.tensors.get(g.inputs[0])!.shape, [2, 6, 6, 3]);
});

test('NHWC: a reshape that changes element order without an FC gets explicit transposes', async () => {
  const b = new OnnxBuilder();
  b.input('x', [1, 2, 2, 3]);
  b.initializer('shape', [4], [1, 3, 2, 2], { dtype: 'int64' });
  b.node('Reshape', ['x', 'shape'], ['y']);
  b.output('y');
  const g = await checkPasses({ name: 'reorder', bytes: b.toBytes(), inputs: { x: [1, 2, 2, 3] } }, [canonicalizeReshapes, toNHWC], TOL);
  assert.equal(ops(g), ['Transpose', 'Reshape', 'Transpose']);
});

test('after all passes every case maps to model ops, except the ones the format cannot express', () => {
  const refused = new Map<string, string>();
  for (const c of cases()) {
    const g = runPasses(importOnnx(c.bytes));
    try {
      assertModelOps(g);
    } catch (e) {
      refused.set(c.name, (e as Error).message);
    }
  }
  // grouped (non-depthwise) conv, HardSigmoid, a general Clip, padding with 0.5 and a [1, 3, 16] reshape of an
  // NHWC map (needs a Transpose) have no model op; everything else converts
  const expected = ['grouped conv', 'activations: clip attrs', 'pad attrs', 'shape arithmetic'].map((k) => caseNamed(k).name);
  assert.equal([...refused.keys()].sort(), expected.sort());
  assert.ok(refused.get(caseNamed('pad attrs').name)!.includes('padding with 0.5'));
  assert.ok(refused.get(caseNamed('shape arithmetic').name)!.includes('Transpose'));
  assert.ok(refused.get(caseNamed('activations: clip attrs').name)!.includes('HardSigmoid'));
  assert.ok(refused.get(caseNamed('grouped conv').name)!.includes('group 2'));
  assert.equal(modelOpKind(runPasses(importOnnx(caseNamed('depthwise').bytes)), runPasses(importOnnx(caseNamed('depthwise').bytes)).nodes[0]), 'DepthwiseConv2D');
});

test('quantization annotations survive the passes; a per-channel axis 1 moves to 3 in NHWC', () => {
  const g = importOnnx(caseNamed('conv + batchnorm + relu').bytes);
  const perChannel = { scales: Float32Array.of(0.1, 0.2, 0.3, 0.4), zeroPoints: new Int32Array(4), axis: 1 };
  const perTensor = { scales: Float32Array.of(0.05), zeroPoints: Int32Array.of(-128), axis: -1 };
  g.tensors.get('c')!.quant = perChannel;
  g.tensors.get('y')!.quant = perTensor;
  const n = toNHWC(g);
  assert.is(n.tensors.get('c')!.quant!.axis, 3);
  assert.is(g.tensors.get('c')!.quant!.axis, 1, 'the input graph keeps its annotation');
  const all = runPasses(g);
  assert.equal(all.tensors.get('y')!.quant, perTensor, 'the fused output keeps the output annotation');
});

test('passes never mutate the graph they are given', () => {
  const g = importOnnx(caseNamed('conv + batchnorm + relu').bytes);
  const snapshot = JSON.stringify({ nodes: g.nodes, t: [...g.tensors.values()].map((t) => [t.name, t.shape, t.data && Array.from(t.data)]) });
  for (const p of DEFAULT_PASSES) p(g);
  assert.is(JSON.stringify({ nodes: g.nodes, t: [...g.tensors.values()].map((t) => [t.name, t.shape, t.data && Array.from(t.data)]) }), snapshot);
});

test.run();
