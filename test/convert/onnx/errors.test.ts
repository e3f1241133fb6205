import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, mkdtempSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OnnxBuilder } from '../../../src/convert/onnx/builder.js';
import { encodeElements } from '../../../src/convert/onnx/dtype.js';
import { importOnnx, type ImportOptions } from '../../../src/convert/onnx/import.js';
import { nodeFileReader } from '../../../src/convert/onnx/external-node.js';
import { execute } from '../../../src/convert/ir/execute.js';
import { ConvertError } from '../../../src/convert/ir/errors.js';
import { WasmqError } from '../../../src/runtime/errors.js';
import { prng, randomFloat32 } from '../../ref/prng.js';

function codeOf(f: () => unknown): { code: string; message: string } {
  try {
    f();
  } catch (e) {
    assert.instance(e, ConvertError);
    return { code: (e as ConvertError).code, message: (e as Error).message };
  }
  assert.unreachable('expected a ConvertError');
  throw new Error('unreachable');
}

test('one UNSUPPORTED_OPS error lists every unsupported node with name and op type', () => {
  const b = new OnnxBuilder({ opset: 18 });
  b.input('x', [1, 2, 4, 4]);
  b.node('Resize', ['x'], ['r'], {}, 'upsample');
  b.node('LSTM', ['r'], ['l'], {}, 'rnn');
  b.node('Pad', ['l'], ['p'], { mode: 'reflect' }, 'reflect_pad');
  b.initializer('pads', [4], [1, 1, 1, 1], { dtype: 'int64' });
  b.initializer('axes', [2], [2, 3], { dtype: 'int64' });
  b.node('Pad', ['p', 'pads', '', 'axes'], ['p2'], {}, 'axes_pad');
  b.node('Relu', ['p2'], ['q'], {}, 'fine');
  b.node('Conv', ['q'], ['y'], { kernel_shape: [3, 3, 3] }, 'conv3d');
  b.output('y');
  const { code, message } = codeOf(() => importOnnx(b.toBytes()));
  assert.is(code, 'UNSUPPORTED_OPS');
  for (const s of ["'upsample' (Resize)", "'rnn' (LSTM)", "'reflect_pad' (Pad)", "'axes_pad' (Pad)", "'conv3d' (Conv)", '5 unsupported']) assert.ok(message.includes(s), `${s} in ${message}`);
  assert.not.ok(message.includes('fine'));
});

test('opsets outside 9-21 are refused', () => {
  const b = new OnnxBuilder({ opset: 8 });
  b.input('x', [1]);
  b.node('Relu', ['x'], ['y']);
  b.output('y');
  assert.is(codeOf(() => importOnnx(b.toBytes())).code, 'UNSUPPORTED_OPS');
});

test('missing initializers, dangling edges and dangling outputs are typed', () => {
  const b = new OnnxBuilder();
  b.input('x', [1, 2, 3, 3]);
  b.node('Conv', ['x', 'weights_not_there'], ['y']);
  b.output('y');
  const e = codeOf(() => importOnnx(b.toBytes()));
  assert.is(e.code, 'MISSING_INITIALIZER');
  assert.ok(e.message.includes('weights_not_there'));
  const d = new OnnxBuilder();
  d.input('x', [1, 2]);
  d.node('Relu', ['nobody'], ['y']);
  d.output('y');
  assert.is(codeOf(() => importOnnx(d.toBytes())).code, 'DANGLING_EDGE');
  const o = new OnnxBuilder();
  o.input('x', [1, 2]);
  o.node('Relu', ['x'], ['y']);
  o.output('z');
  assert.is(codeOf(() => importOnnx(o.toBytes())).code, 'DANGLING_EDGE');
});

test('non-float inputs are refused', () => {
  const b = new OnnxBuilder();
  b.input('ids', [1, 4], 'int64');
  b.node('Identity', ['ids'], ['y']);
  b.output('y');
  const e = codeOf(() => importOnnx(b.toBytes()));
  assert.is(e.code, 'NON_FLOAT_INPUT');
  assert.ok(e.message.includes("'ids'"));
});

test('symbolic dimensions need batchSize or inputShapes', () => {
  const b = new OnnxBuilder();
  b.input('x', ['N', 3, 'H', 4]);
  b.node('Relu', ['x'], ['y']);
  b.output('y');
  const bytes = b.toBytes();
  const e = codeOf(() => importOnnx(bytes));
  assert.is(e.code, 'DYNAMIC_SHAPE');
  assert.ok(e.message.includes("'N'"));
  assert.is(codeOf(() => importOnnx(bytes, { batchSize: 1 })).code, 'DYNAMIC_SHAPE', "'H' is not the batch");
  assert.equal(importOnnx(bytes, { inputShapes: { x: [2, 3, 5, 4] } }).tensors.get('y')!.shape, [2, 3, 5, 4]);
  const c = new OnnxBuilder();
  c.input('x', ['N', 3]);
  c.node('Relu', ['x'], ['y']);
  c.output('y');
  assert.equal(importOnnx(c.toBytes(), { batchSize: 1 }).tensors.get('y')!.shape, [1, 3]);
});

function externalModel(location: string, offset = 16): Uint8Array {
  const b = new OnnxBuilder();
  b.input('x', [1, 6]);
  b.initializer('w', [6, 2], [], { external: { location, offset, length: 48 } });
  b.node('MatMul', ['x', 'w'], ['y']);
  b.output('y');
  return b.toBytes();
}

test('external data is read relative to baseDir and gives the same results as inline data', () => {
  const dir = mkdtempSync(join(tmpdir(), 'wasmq-ext-'));
  const w = randomFloat32(prng(3), 12);
  mkdirSync(join(dir, 'data'));
  writeFileSync(join(dir, 'data', 'w.bin'), Buffer.concat([Buffer.alloc(16), encodeElements('float32', w)]));
  const g = importOnnx(externalModel('./data/w.bin'), { baseDir: dir, readFile: nodeFileReader });
  assert.equal(Array.from(g.tensors.get('w')!.data!), Array.from(w));
  const x = [1, 2, 3, 4, 5, 6];
  const y = execute(g, { x }).y;
  for (let n = 0; n < 2; n++) assert.ok(Math.abs(y[n] - x.reduce((a, v, k) => a + v * w[k * 2 + n], 0)) < 1e-5);
  // without a folder the importer says how to provide one
  assert.is(codeOf(() => importOnnx(externalModel('data/w.bin'))).code, 'EXTERNAL_DATA');
  // a range beyond the file
  assert.is(codeOf(() => importOnnx(externalModel('data/w.bin', 40), { baseDir: dir, readFile: nodeFileReader })).code, 'EXTERNAL_DATA');
});

test('external data paths that are absolute or leave the model folder are refused', () => {
  const root = mkdtempSync(join(tmpdir(), 'wasmq-esc-'));
  const dir = join(root, 'model');
  mkdirSync(dir);
  writeFileSync(join(root, 'secret.bin'), Buffer.alloc(64));
  symlinkSync(join(root, 'secret.bin'), join(dir, 'link.bin'));
  symlinkSync(root, join(dir, 'up'));
  let read = 0;
  const spy: ImportOptions['readFile'] = (p, base) => { read++; return nodeFileReader(p, base); };
  for (const location of ['../secret.bin', 'a/../../secret.bin', '/etc/passwd', '\\\\server\\share', 'C:\\secret.bin', 'link.bin', 'up/secret.bin']) {
    const e = codeOf(() => importOnnx(externalModel(location, 0), { baseDir: dir, readFile: spy }));
    assert.is(e.code, 'EXTERNAL_DATA', location);
  }
  assert.is(read, 2, 'only the symlinks reach the reader (which refuses them); the others are refused before');
});

test('the quantized conformance models (QLinearConv, QuantizeLinear, ...) are refused as unsupported ops, for now', () => {
  const dir = new URL('../../../../shared/conformance/onnx-node/', import.meta.url);
  if (!existsSync(dir)) {
    console.log('  skipped: ../shared/conformance/onnx-node not present');
    return;
  }
  const codes = new Set<string>();
  for (const name of readdirSync(dir)) {
    const file = new URL(`${name}/model.onnx`, dir);
    if (!existsSync(file)) continue;
    try {
      importOnnx(readFileSync(file), { batchSize: 1 });
      assert.unreachable(`${name} imported`);
    } catch (e) {
      assert.instance(e, ConvertError, name);
      codes.add((e as ConvertError).code);
    }
  }
  assert.ok(codes.has('UNSUPPORTED_OPS'), [...codes].join());
});

test('fuzzed models (truncations, bit flips) only ever fail with typed errors', () => {
  const b = new OnnxBuilder({ opset: 13 });
  const r = prng(5);
  b.input('x', [1, 2, 4, 4]);
  b.initializer('w', [3, 2, 3, 3], randomFloat32(r, 54));
  b.initializer('shape', [2], [1, -1], { dtype: 'int64' });
  b.node('Conv', ['x', 'w'], ['c'], { pads: [1, 1, 1, 1] });
  b.node('Relu', ['c'], ['r']);
  b.node('Reshape', ['r', 'shape'], ['y']);
  b.output('y');
  const bytes = b.toBytes();
  let refused = 0;
  for (let i = 0; i < 500; i++) {
    const m = i < 150 ? bytes.slice(0, r.int(0, bytes.length - 1)) : bytes.slice();
    if (i >= 150) for (let f = r.int(1, 3); f > 0; f--) m[r.int(0, m.length - 1)] ^= 1 << r.int(0, 7);
    try {
      importOnnx(m);
    } catch (e) {
      if (!(e instanceof WasmqError)) assert.unreachable(`case ${i}: untyped ${(e as Error).stack}`);
      refused++;
    }
  }
  assert.ok(refused > 100, `${refused} refused`);
});

test.run();
