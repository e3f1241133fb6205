import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { OnnxBuilder, attr } from '../../../src/convert/onnx/builder.js';
import { decodeModelProto, encodeModelProto } from '../../../src/convert/onnx/proto.js';
import { tensorFromProto } from '../../../src/convert/onnx/tensor.js';
import { ConvertError } from '../../../src/convert/ir/errors.js';
import { prng } from '../../ref/prng.js';
import { runOrt } from './helpers.js';

const CONFORMANCE = new URL('../../../../shared/conformance/onnx-node/', import.meta.url);

test('a built model decodes back to the same nodes, attributes and initializers', () => {
  const b = new OnnxBuilder({ opset: 17, metadata: { author: 'test' } });
  b.input('x', ['batch', 3, 4, 4]);
  b.initializer('w', [2, 3, 1, 1], [1, 2, 3, 4, 5, 6]);
  b.initializer('shape', [2], [1, -1], { dtype: 'int64', encoding: 'typed' });
  b.node('Conv', ['x', 'w'], ['y'], { strides: [1, 1], group: 1 }, 'conv');
  b.node('LeakyRelu', ['y'], ['z'], { alpha: attr.float(2) });
  b.node('Reshape', ['z', 'shape'], ['out']);
  b.output('out');
  const m = decodeModelProto(b.toBytes());
  assert.is(m.opsetImport[0].version, 17);
  assert.equal(m.metadataProps, [{ key: 'author', value: 'test' }]);
  const g = m.graph!;
  assert.equal(g.node.map((n) => n.opType), ['Conv', 'LeakyRelu', 'Reshape']);
  assert.is(g.node[0].name, 'conv');
  assert.equal(g.node[0].attribute.map((a) => [a.name, a.type, a.ints]), [['strides', 7, [1, 1]], ['group', 2, []]]);
  assert.is(g.node[1].attribute[0].f, 2);
  assert.equal(g.input[0].type!.tensorType!.shape!.dim.map((d) => d.dimParam ?? d.dimValue), ['batch', 3, 4, 4]);
  assert.equal(Array.from(tensorFromProto(g.initializer[0], '').data!), [1, 2, 3, 4, 5, 6]);
  assert.equal(Array.from(tensorFromProto(g.initializer[1], '').data!), [1, -1]);
  // re-encoding the decoded message gives the same bytes
  assert.equal(encodeModelProto(m), b.toBytes());
});

test('raw and typed encodings of every element type decode to the same values', () => {
  const cases: [Parameters<OnnxBuilder['initializer']>[3] & object, number[]][] = [
    [{ dtype: 'float32' }, [1.5, -2.25, 0, Math.fround(3e-8)]],
    [{ dtype: 'float64' }, [1.5, -2.25, 1e-300]],
    [{ dtype: 'float16' }, [1.5, -2.25, 0.0009765625, 65504]],
    [{ dtype: 'int64' }, [-(2 ** 40), 7, 0]],
    [{ dtype: 'int32' }, [-5, 2 ** 30]],
    [{ dtype: 'int8' }, [-128, 127, 0]],
    [{ dtype: 'uint8' }, [0, 255, 7]],
    [{ dtype: 'bool' }, [0, 1, 1]],
  ];
  for (const [opts, values] of cases) {
    for (const encoding of ['raw', 'typed'] as const) {
      const b = new OnnxBuilder();
      b.initializer('t', [values.length], values, { ...opts, encoding });
      const t = tensorFromProto(decodeModelProto(b.toBytes()).graph!.initializer[0], '');
      assert.equal(Array.from(t.data!), values, `${opts.dtype} ${encoding}`);
    }
  }
});

test('onnxruntime accepts built models (Conv + LeakyRelu, opsets 9 and 21)', async () => {
  for (const opset of [9, 13, 21]) {
    const b = new OnnxBuilder({ opset });
    b.input('x', [1, 2, 3, 3]);
    b.initializer('w', [1, 2, 1, 1], [1, 2]);
    b.node('Conv', ['x', 'w'], ['y']);
    b.node('LeakyRelu', ['y'], ['z'], { alpha: attr.float(0.5) });
    b.output('z', [1, 1, 3, 3]);
    const x = Float32Array.from({ length: 18 }, (_, i) => i - 9);
    const { z } = await runOrt(b.toBytes(), { x: { data: x, dims: [1, 2, 3, 3] } });
    const want = Array.from({ length: 9 }, (_, i) => { const v = x[i] + 2 * x[i + 9]; return v >= 0 ? v : v / 2; });
    assert.equal(Array.from(z), want, `opset ${opset}`);
  }
});

test('ONNX conformance models (from onnx/onnx) decode with their nodes and initializers', () => {
  if (!existsSync(CONFORMANCE)) {
    console.log('  skipped: ../shared/conformance/onnx-node not present');
    return;
  }
  let n = 0;
  for (const dir of readdirSync(CONFORMANCE)) {
    const file = new URL(`${dir}/model.onnx`, CONFORMANCE);
    if (!existsSync(file)) continue;
    const m = decodeModelProto(readFileSync(file));
    assert.ok(m.graph && m.graph.node.length > 0, dir);
    assert.ok(m.graph.output.length > 0 && m.opsetImport.length > 0, dir);
    n++;
  }
  assert.ok(n > 10, `read ${n} models`);
});

test('truncated and bit-flipped models give MALFORMED_ONNX or decode, never another error', () => {
  const b = new OnnxBuilder();
  b.input('x', [1, 4]);
  b.initializer('w', [4, 4], Array.from({ length: 16 }, (_, i) => i));
  b.node('MatMul', ['x', 'w'], ['y']);
  b.output('y');
  const bytes = b.toBytes();
  const rng = prng(77);
  let typed = 0;
  for (let i = 0; i < 400; i++) {
    const m = i < 100 ? bytes.slice(0, rng.int(0, bytes.length - 1)) : bytes.slice();
    if (i >= 100) for (let f = rng.int(1, 4); f > 0; f--) m[rng.int(0, m.length - 1)] ^= 1 << rng.int(0, 7);
    try {
      decodeModelProto(m);
    } catch (e) {
      assert.instance(e, ConvertError);
      assert.is((e as ConvertError).code, 'MALFORMED_ONNX');
      typed++;
    }
  }
  assert.ok(typed > 50, `${typed} of 400 corrupted models were refused`);
});

test.run();
