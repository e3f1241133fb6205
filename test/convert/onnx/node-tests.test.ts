// ONNX's own backend node tests (Debian's libonnx-testdata, onnx 1.12) for the ops wasmq supports: each model
// is imported (inputs after the first frozen into initializers, as weights are in real models), run by the
// reference executor in NCHW and again after all passes in NHWC, and compared with ONNX's expected outputs.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { importOnnx } from '../../../src/convert/onnx/import.js';
import { decodeModelProto, decodeTensorProto, encodeModelProto } from '../../../src/convert/onnx/proto.js';
import { tensorFromProto } from '../../../src/convert/onnx/tensor.js';
import { execute } from '../../../src/convert/ir/execute.js';
import { runPasses } from '../../../src/convert/passes/pipeline.js';
import { ConvertError } from '../../../src/convert/ir/errors.js';
import { SUPPORTED_OPS } from '../../../src/convert/onnx/nodes.js';
import { relError, toNHWC } from './helpers.js';

const DIR = '/usr/share/libonnx-testdata/data/node';
const TOL = 1e-4; // ONNX's expected outputs come from numpy (float64 internally in places); onnx's own checker uses 1e-3

interface Outcome { name: string; status: 'pass' | 'refused' | 'fail'; detail?: string }

function runNodeTest(name: string): Outcome {
  const dir = `${DIR}/${name}`;
  const model = decodeModelProto(readFileSync(`${dir}/model.onnx`));
  const g = model.graph!;
  if (!g.node.every((n) => SUPPORTED_OPS.has(n.opType ?? '') && n.opType !== 'Constant')) return { name, status: 'refused', detail: 'op' };
  const data = `${dir}/test_data_set_0`;
  const inputs = g.input.filter((vi) => !g.initializer.some((t) => t.name === vi.name));
  const tensors = inputs.map((_, i) => decodeTensorProto(readFileSync(`${data}/input_${i}.pb`)));
  // freeze every input after the first into an initializer
  for (let i = 1; i < inputs.length; i++) g.initializer.push({ ...tensors[i], name: inputs[i].name });
  g.input = [inputs[0]];
  const x = tensorFromProto(tensors[0], 'x');
  const expected = g.output.map((_, i) => tensorFromProto(decodeTensorProto(readFileSync(`${data}/output_${i}.pb`)), 'y'));
  let graph;
  try {
    graph = importOnnx(encodeModelProto(model), { inputShapes: { [inputs[0].name!]: x.shape! } });
  } catch (e) {
    if (e instanceof ConvertError) return { name, status: 'refused', detail: `${e.code}: ${e.message.split('\n')[0]}` };
    throw e;
  }
  const check = (got: Record<string, ArrayLike<number>>, nhwc: boolean, stage: string): string | undefined => {
    for (let i = 0; i < expected.length; i++) {
      const want = expected[i];
      let w: ArrayLike<number> = want.data!;
      if (nhwc && want.shape!.length === 4) w = toNHWC(w, want.shape!);
      const out = got[g.output[i].name!];
      if (out.length !== w.length) return `${stage}: ${out.length} values, expected ${w.length}`;
      const err = relError(out, w);
      if (!(err <= TOL)) return `${stage}: relative error ${err}`;
    }
    return undefined;
  };
  const feeds = { [inputs[0].name!]: x.data! };
  const nchw = check(execute(graph, feeds), false, 'imported');
  if (nchw) return { name, status: 'fail', detail: nchw };
  let passed;
  try {
    passed = runPasses(graph);
  } catch (e) {
    if (e instanceof ConvertError) return { name, status: 'refused', detail: `passes: ${e.code}: ${e.message.split('\n')[0]}` };
    throw e;
  }
  const nhwcFeeds = { [inputs[0].name!]: x.shape!.length === 4 ? toNHWC(x.data!, x.shape!) : x.data! };
  const nhwc = check(execute(passed, nhwcFeeds), true, 'after passes');
  return nhwc ? { name, status: 'fail', detail: nhwc } : { name, status: 'pass' };
}

test('ONNX backend node tests of supported ops match their expected outputs (imported and after all passes)', () => {
  if (!existsSync(DIR)) {
    console.log(`  skipped: ${DIR} not present (apt-get install libonnx-testdata)`);
    return;
  }
  const outcomes = readdirSync(DIR).filter((d) => existsSync(`${DIR}/${d}/model.onnx`)).map((name): Outcome => {
    try {
      return runNodeTest(name);
    } catch (e) {
      if (e instanceof ConvertError) return { name, status: 'refused', detail: `${e.code}: ${e.message.split('\n')[0]}` };
      return { name, status: 'fail', detail: `untyped ${(e as Error).stack}` };
    }
  });
  const by = (s: Outcome['status']) => outcomes.filter((o) => o.status === s);
  if (process.env.NODE_TESTS_VERBOSE) for (const o of outcomes) if (o.status !== 'pass' && o.detail !== 'op') console.log(o.status, o.name, o.detail);
  assert.equal(by('fail').map((o) => `${o.name}: ${o.detail}`), []);
  if (process.env.NODE_TESTS_VERBOSE) console.log(by('pass').map((o) => o.name).join(' '));
  console.log(`  ${by('pass').length} node tests passed, ${by('refused').length} refused with typed errors`);
  assert.ok(by('pass').length >= 140, `${by('pass').length} passed`);
  const passed = new Set(by('pass').map((o) => o.name));
  for (const must of [
    'conv_with_autopad_same', 'conv_with_strides_and_asymmetric_padding', 'batchnorm_example', 'maxpool_2d_ceil',
    'maxpool_2d_same_lower', 'averagepool_2d_pads_count_include_pad', 'gemm_all_attributes', 'gemm_transposeA',
    'hardswish', 'clip_splitbounds', 'softmax_axis_1', 'reduce_mean_do_not_keepdims_random', 'constant_pad',
    'reshape_zero_and_negative_dim', 'flatten_axis2', 'unsqueeze_unsorted_axes', 'transpose_all_permutations_4',
  ]) assert.ok(passed.has(`test_${must}`), must);
  // wasmq refuses, with a typed error, what it cannot do: training-mode ops, 1D/3D windows, reflect pads
  const refused = new Map(by('refused').map((o) => [o.name, o.detail ?? '']));
  for (const no of ['training_dropout', 'batchnorm_example_training_mode', 'maxpool_1d_default', 'reflect_pad', 'cast_FLOAT_to_FLOAT16']) {
    assert.ok(refused.get(`test_${no}`)?.startsWith('UNSUPPORTED_OPS'), `${no}: ${refused.get(`test_${no}`)}`);
  }
});

test.run();
