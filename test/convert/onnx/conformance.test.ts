// ONNX's own node tests for the quantized operators (../shared/conformance/onnx-node, onnx commit in its
// SOURCE_COMMIT.txt): every input but the first is bound as a constant at import, the model runs through
// importQuantizedOnnx + the wasmq runtime, and outputs must equal ONNX's expected outputs exactly (8-bit and
// float; ConvInteger / MatMulInteger's int32 accumulators come out as exact integers in float32). Cases wasmq does not support must be refused with the stated typed error, not skipped.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { importQuantizedOnnx } from '../../../src/convert/onnx/quantized-ops.js';
import { decodeModelProto, decodeTensorProto, type TensorProto } from '../../../src/convert/onnx/proto.js';
import { tensorFromProto } from '../../../src/convert/onnx/tensor.js';
import { ConvertError } from '../../../src/convert/ir/errors.js';
import { loadModel } from '../../../src/index.js';
import { toNHWC } from './helpers.js';
import { sharedDir } from '../images/coral-data.js';
import { join } from 'node:path';

const DIR = join(sharedDir(), 'conformance', 'onnx-node') + '/';

/** The expected outcome of every case: 'pass', or the error code and a pattern its message must match. */
const unsupported = (code: string, reason: RegExp) => ({ code, reason });
const TYPE = (t: string) => unsupported('UNSUPPORTED_TYPE', new RegExp(`\\b${t}\\b`));
const EXPECTED: Record<string, 'pass' | { code: string; reason: RegExp }> = {
  test_quantizelinear: 'pass',
  test_dequantizelinear: 'pass',
  test_qlinearconv: 'pass',
  test_qlinearmatmul_2D_int8_float32: 'pass',
  test_qlinearmatmul_2D_uint8_float32: 'pass',
  test_qlinearmatmul_3D_int8_float32: 'pass',
  test_qlinearmatmul_3D_uint8_float32: 'pass',
  test_qlinearmatmul_2D_int8_float16: TYPE('float16'),
  test_qlinearmatmul_2D_uint8_float16: TYPE('float16'),
  test_qlinearmatmul_3D_int8_float16: TYPE('float16'),
  test_qlinearmatmul_3D_uint8_float16: TYPE('float16'),
  test_quantizelinear_axis: 'pass',
  test_dequantizelinear_axis: 'pass',
  test_quantizelinear_blocked_asymmetric: unsupported('UNSUPPORTED_TYPE', /blocked quantization/),
  test_quantizelinear_blocked_symmetric: unsupported('UNSUPPORTED_TYPE', /blocked quantization/),
  test_dequantizelinear_blocked: unsupported('UNSUPPORTED_TYPE', /blocked quantization/),
  test_quantizelinear_int16: TYPE('int16'),
  test_quantizelinear_uint16: TYPE('uint16'),
  test_dequantizelinear_int16: TYPE('int16'),
  test_dequantizelinear_uint16: TYPE('uint16'),
  test_quantizelinear_int4: TYPE('int4'),
  test_quantizelinear_uint4: TYPE('uint4'),
  test_dequantizelinear_int4: TYPE('int4'),
  test_dequantizelinear_uint4: TYPE('uint4'),
  test_quantizelinear_int2: TYPE('int2'),
  test_quantizelinear_uint2: TYPE('uint2'),
  test_dequantizelinear_int2: TYPE('int2'),
  test_dequantizelinear_uint2: TYPE('uint2'),
  test_quantizelinear_e4m3fn: TYPE('float8e4m3fn'),
  test_quantizelinear_e5m2: TYPE('float8e5m2'),
  test_dequantizelinear_e4m3fn: TYPE('float8e4m3fn'),
  test_dequantizelinear_e4m3fn_float16: unsupported('UNSUPPORTED_TYPE', /\b(float8e4m3fn|float16)\b/),
  test_dequantizelinear_e4m3fn_zero_point: TYPE('float8e4m3fn'),
  test_dequantizelinear_e5m2: TYPE('float8e5m2'),
  test_quantizelinear_float4e2m1: TYPE('float4e2m1'),
  test_dequantizelinear_float4e2m1: TYPE('float4e2m1'),
  test_convinteger_with_padding: 'pass',
  test_convinteger_without_padding: 'pass',
  test_matmulinteger: 'pass',
  test_dynamicquantizelinear: unsupported('UNSUPPORTED_OPS', /scale at run time/),
  test_dynamicquantizelinear_max_adjusted: unsupported('UNSUPPORTED_OPS', /scale at run time/),
  test_dynamicquantizelinear_min_adjusted: unsupported('UNSUPPORTED_OPS', /scale at run time/),
  test_dynamicquantizelinear_expanded: unsupported('UNSUPPORTED_OPS', /ReduceMin.*op type is not supported/),
  test_dynamicquantizelinear_max_adjusted_expanded: unsupported('UNSUPPORTED_OPS', /ReduceMin.*op type is not supported/),
  test_dynamicquantizelinear_min_adjusted_expanded: unsupported('UNSUPPORTED_OPS', /ReduceMin.*op type is not supported/),
};

/** NHWC data back to NCHW. */
function toNCHW(data: ArrayLike<number>, [n, c, h, w]: number[]): number[] {
  const out = new Array<number>(data.length);
  for (let b = 0; b < n; b++) for (let ch = 0; ch < c; ch++) for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) {
    out[((b * c + ch) * h + y) * w + x] = data[((b * h + y) * w + x) * c + ch];
  }
  return out;
}

const FEED = { float32: Float32Array, int8: Int8Array, uint8: Uint8Array } as Record<string, { from(a: ArrayLike<number>): Float32Array | Int8Array | Uint8Array }>;

async function runCase(name: string): Promise<void> {
  const dir = `${DIR}${name}`;
  const bytes = readFileSync(`${dir}/model.onnx`);
  const g = decodeModelProto(bytes).graph!;
  const data = `${dir}/test_data_set_0`;
  const protos = g.input.map((_, i) => decodeTensorProto(readFileSync(`${data}/input_${i}.pb`)));
  const constants: Record<string, TensorProto> = {};
  for (let i = 1; i < g.input.length; i++) constants[g.input[i].name!] = protos[i];
  const model = importQuantizedOnnx(bytes, { constants, source: name });
  const x = tensorFromProto(protos[0], 'x');
  const inDef = model.tensors[model.inputs[0]];
  const feedData = x.shape!.length === 4 ? toNHWC(x.data!, x.shape!) : x.data!;
  const session = await (await loadModel(model)).createSession();
  try {
    const out = session.runSync({ [inDef.name]: FEED[inDef.dtype].from(feedData) }, { raw: true });
    for (let i = 0; i < g.output.length; i++) {
      const expected = tensorFromProto(decodeTensorProto(readFileSync(`${data}/output_${i}.pb`)), 'y');
      const got = out[g.output[i].name!];
      const actual = expected.shape!.length === 4 ? toNCHW(got, expected.shape!) : Array.from(got);
      assert.equal(actual, Array.from(expected.data!), `${name}: output ${i}`);
    }
  } finally {
    session.release();
  }
}

if (!existsSync(DIR)) {
  console.log(`conformance: ${DIR} is absent; skipping ONNX's quantized-operator node tests`);
} else {
  const cases = readdirSync(DIR).filter((d) => d.startsWith('test_')).sort();
  test('every conformance case has a stated expectation', () => {
    assert.equal(cases.filter((c) => !(c in EXPECTED)), [], 'cases without an expected outcome');
  });
  for (const name of cases) {
    const expected = EXPECTED[name];
    if (!expected) continue;
    test(name, async () => {
      if (expected === 'pass') {
        await runCase(name);
        console.log(`  ${name}: passed`);
        return;
      }
      try {
        await runCase(name);
      } catch (e) {
        assert.ok(e instanceof ConvertError, `${name}: ${String(e)}`);
        assert.is(e.code, expected.code, `${name}: ${e.message}`);
        assert.match(e.message, expected.reason);
        console.log(`  ${name}: unsupported: ${e.message.split('\n').slice(-1)[0].trim()}`);
        return;
      }
      assert.unreachable(`${name}: expected a ${expected.code} refusal`);
    });
  }
}

test.run();
