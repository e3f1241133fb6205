import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ByteBuffer } from 'flatbuffers';
import * as fb from '../../src/format/generated/wasmq.js';
import { OP_KINDS, readModel, writeModel, modelMemory, BUFFER_ALIGNMENT, type Model } from '../../src/format/index.js';
import { singleOpModel, smallCnn } from './fixtures.js';

const models: [string, Model][] = [
  ['small CNN', smallCnn(1)],
  ['small CNN, other seed', smallCnn(7)],
  ...OP_KINDS.map((k): [string, Model] => [`${k} alone`, singleOpModel(k)]),
];

for (const [name, model] of models) {
  test(`${name}: write -> read gives the same model, and writing it again the same bytes`, () => {
    const bytes = writeModel(model);
    const back = readModel(bytes);
    assert.equal(back, model);
    assert.equal(writeModel(back), bytes);
  });
}

test('writing is deterministic, whatever the insertion order of metadata.extra', () => {
  const a = smallCnn(3);
  const b = smallCnn(3);
  b.metadata.extra = { seed: '3', source: 'fixtures.ts' };
  assert.equal(Object.keys(a.metadata.extra!), ['source', 'seed']);
  assert.equal(writeModel(a), writeModel(b));
  assert.equal(writeModel(a), writeModel(a));
});

test('the file carries the identifier and every constant buffer starts 16-byte aligned', () => {
  const bytes = writeModel(smallCnn());
  assert.is(new TextDecoder().decode(bytes.subarray(4, 8)), 'WQM1');
  assert.ok(fb.Model.bufferHasIdentifier(new ByteBuffer(bytes)));
  const root = fb.Model.getRootAsModel(new ByteBuffer(bytes));
  assert.ok(root.buffersLength() > 3);
  for (let i = 0; i < root.buffersLength(); i++) {
    const data = root.buffers(i)!.dataArray();
    assert.is((data.byteOffset - bytes.byteOffset) % BUFFER_ALIGNMENT, 0, `buffer ${i}`);
  }
});

test('reading never modifies the input and works from an unaligned view', () => {
  const bytes = writeModel(smallCnn());
  const host = new Uint8Array(bytes.length + 3);
  host.set(bytes, 3);
  const view = host.subarray(3);
  const before = view.slice();
  const model = readModel(view);
  assert.equal(view, before);
  assert.equal(model, smallCnn());
  // copies by default: changing the model's buffers leaves the file alone
  model.buffers[0]!.fill(7);
  assert.equal(view, before);
});

test('copyBuffers: false returns views into the file instead of copies', () => {
  const bytes = writeModel(smallCnn());
  const model = readModel(bytes, { copyBuffers: false });
  for (const b of model.buffers) assert.is(b.buffer, bytes.buffer);
  assert.equal(model, smallCnn());
});

test('optional fields stay absent, empty lists stay empty', () => {
  const m = singleOpModel('Relu');
  m.metadata = { producer: '', labels: [], extra: {} };
  const back = readModel(writeModel(m));
  assert.equal(back.metadata, { producer: '', labels: [], extra: {} });
  assert.not.ok('calibrationMethod' in back.metadata);
  assert.not.ok('preprocessing' in back.metadata);
  assert.not.ok('name' in back.ops[0]!);
  assert.not.ok('buffer' in back.tensors[0]!, 'activations have no buffer key');
});

test('metadata keys that look like object internals stay plain data', () => {
  const m = singleOpModel('Relu');
  m.metadata.extra = JSON.parse('{"__proto__": "x", "constructor": "y"}');
  const back = readModel(writeModel(m));
  assert.equal(Object.keys(back.metadata.extra!).sort(), ['__proto__', 'constructor']);
  assert.is(Object.getPrototypeOf(back.metadata.extra), Object.prototype);
});

test('modelMemory: constant bytes of distinct buffers and activation bytes per tensor', () => {
  const m = smallCnn();
  const mem = modelMemory(m);
  const expectedConstants = m.buffers.reduce((n, b) => n + b.byteLength, 0);
  assert.is(mem.constantBytes, expectedConstants);
  assert.is(mem.activationBytes.length, m.tensors.length);
  assert.is(mem.activationBytes[m.inputs[0]!], 1 * 8 * 8 * 3 * 4, 'float32 image');
  assert.is(mem.activationBytes[1], 1 * 8 * 8 * 3, 'int8 quantized image');
  m.tensors.forEach((t, i) => { if (t.buffer !== undefined) assert.is(mem.activationBytes[i], 0); });
});

test('all-zero zero points are stored as an empty vector and read back as zeros of the right length', () => {
  const m = smallCnn(3);
  const bytes = writeModel(m);
  const file = fb.Model.getRootAsModel(new ByteBuffer(bytes));
  const back = readModel(bytes);
  let compacted = 0;
  m.tensors.forEach((t, i) => {
    if (!t.quant) return;
    const stored = file.tensors(i)!.quantization()!.zeroPointsLength();
    const allZero = t.quant.zeroPoints.every((z) => z === 0);
    assert.is(stored, allZero ? 0 : t.quant.zeroPoints.length, `tensor ${i}`);
    assert.equal(Array.from(back.tensors[i].quant!.zeroPoints), Array.from(t.quant.zeroPoints), `tensor ${i}`);
    if (allZero) compacted++;
  });
  assert.ok(compacted > 0);
});

test.run();
