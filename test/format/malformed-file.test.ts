// One damaged file per structural failure class, each rejected by readModel with its code.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Builder } from 'flatbuffers';
import * as fb from '../../src/format/generated/wasmq.js';
import { readModel, writeModel } from '../../src/format/index.js';
import { encodeModel } from '../../src/format/write.js';
import { smallCnn, singleOpModel } from './fixtures.js';
import { expectModelError } from './expect-error.js';
import {
  MODEL_SLOT, OP_SLOT, TENSOR_SLOT, fieldPos, follow, opTable, rootTable, setI32, setU16, setU32, tensorTable, u32, vtableEntry, vtableOf,
} from './file-bytes.js';

const valid = () => writeModel(smallCnn());

test('BAD_MAGIC: another file identifier', () => {
  const b = valid();
  b.set([0x54, 0x46, 0x4c, 0x33], 4); // "TFL3"
  expectModelError(() => readModel(b), 'BAD_MAGIC', '"TFL3"', 'WQM1');
});

test('TRUNCATED: shorter than the header, and a file cut short', () => {
  expectModelError(() => readModel(new Uint8Array(5)), 'TRUNCATED', '5 bytes');
  expectModelError(() => readModel(new Uint8Array(0)), 'TRUNCATED');
  const b = valid();
  // the root table sits near the start; cutting the tail leaves its vectors pointing past the end
  const cut = b.slice(0, Math.floor(b.length / 2));
  assert.throws(() => readModel(cut), (e: any) => ['BAD_OFFSET', 'TRUNCATED'].includes(e.code));
});

test('TRUNCATED: a vector length running past the end', () => {
  const b = valid();
  const shape = follow(b, tensorTable(b, 2), TENSOR_SLOT.shape);
  setU32(b, shape, 0x3fffffff);
  expectModelError(() => readModel(b), 'TRUNCATED', 'Model.tensors[2].shape');
});

test('BAD_OFFSET: the root offset and a field offset pointing outside the file, or zero', () => {
  const b = valid();
  setU32(b, 0, b.length + 16);
  expectModelError(() => readModel(b), 'BAD_OFFSET', 'root offset');
  const c = valid();
  setU32(c, fieldPos(c, rootTable(c), MODEL_SLOT.metadata), 0);
  expectModelError(() => readModel(c), 'BAD_OFFSET', 'Model.metadata');
  const d = valid();
  const pos = fieldPos(d, tensorTable(d, 0), TENSOR_SLOT.name);
  setU32(d, pos, 0xfffffff0);
  expectModelError(() => readModel(d), 'BAD_OFFSET', 'Model.tensors[0].name');
});

test('BAD_VTABLE: vtable outside the file, odd size, or a field beyond its table', () => {
  const b = valid();
  setI32(b, rootTable(b), -(b.length * 2));
  expectModelError(() => readModel(b), 'BAD_VTABLE', 'Model');
  const c = valid();
  setU16(c, vtableOf(c, rootTable(c)), 7);
  expectModelError(() => readModel(c), 'BAD_VTABLE', 'vtable size 7');
  const d = valid();
  setU16(d, vtableEntry(d, rootTable(d), MODEL_SLOT.inputs), 0x7ff0);
  expectModelError(() => readModel(d), 'BAD_VTABLE', 'Model.inputs');
});

test('BAD_ALIGNMENT: a misaligned root table', () => {
  const b = valid();
  setU32(b, 0, u32(b, 0) + 2);
  expectModelError(() => readModel(b), 'BAD_ALIGNMENT', 'Model', 'aligned');
});

test('BAD_STRING: invalid UTF-8 and a missing terminator', () => {
  const b = valid();
  const name = follow(b, tensorTable(b, 0), TENSOR_SLOT.name);
  b[name + 4] = 0xff;
  expectModelError(() => readModel(b), 'BAD_STRING', 'Model.tensors[0].name', 'UTF-8');
  const c = valid();
  const s = follow(c, tensorTable(c, 0), TENSOR_SLOT.name);
  c[s + 4 + u32(c, s)] = 0x41;
  expectModelError(() => readModel(c), 'BAD_STRING', 'zero-terminated');
});

test('MISSING_FIELD: a required field dropped from its vtable', () => {
  const b = valid();
  setU16(b, vtableEntry(b, rootTable(b), MODEL_SLOT.metadata), 0);
  expectModelError(() => readModel(b), 'MISSING_FIELD', 'Model.metadata');
  const c = valid();
  setU16(c, vtableEntry(c, tensorTable(c, 1), TENSOR_SLOT.shape), 0);
  expectModelError(() => readModel(c), 'MISSING_FIELD', 'shape');
});

test('UNSUPPORTED_VERSION: a newer and an absent version', () => {
  const b = valid();
  setU32(b, fieldPos(b, rootTable(b), MODEL_SLOT.version), 2);
  expectModelError(() => readModel(b), 'UNSUPPORTED_VERSION', 'version 2');
  const c = valid();
  setU16(c, vtableEntry(c, rootTable(c), MODEL_SLOT.version), 0);
  expectModelError(() => readModel(c), 'UNSUPPORTED_VERSION', 'version 0');
});

test('BAD_TYPE: unknown dtype, unknown options union member, packed sub-byte data', () => {
  const b = valid(); // tensor 0 is the float32 image, so its dtype byte is stored
  b[fieldPos(b, tensorTable(b, 0), TENSOR_SLOT.dtype)] = 9;
  expectModelError(() => readModel(b), 'BAD_TYPE', "tensor 0 'image'", 'dtype 9');
  const c = valid(); // op 1 is conv1, with options
  c[fieldPos(c, opTable(c, 1), OP_SLOT.optionsType)] = 42;
  expectModelError(() => readModel(c), 'BAD_TYPE', 'Model.ops[1].options', 'type 42');
});

test('BAD_OP: an op kind this version does not know', () => {
  const b = valid(); // op 0 is Quantize (kind 18, stored)
  setU16(b, fieldPos(b, opTable(b, 0), OP_SLOT.kind), 300);
  expectModelError(() => readModel(b), 'BAD_OP', 'op 0', 'kind 300');
});

test('BAD_OPTIONS: options of another kind in the file', () => {
  const b = valid();
  b[fieldPos(b, opTable(b, 1), OP_SLOT.optionsType)] = fb.OpOptions.PoolOptions;
  expectModelError(() => readModel(b), 'BAD_OPTIONS', "op 1 'conv1' (Conv2D)", 'PoolOptions', 'Conv2DOptions');
  const c = writeModel(singleOpModel('Relu'));
  // a kind without options that carries some: a Relu turned into a Softmax lacks SoftmaxOptions
  setU16(c, fieldPos(c, opTable(c, 0), OP_SLOT.kind), fb.OpKind.Softmax);
  expectModelError(() => readModel(c), 'BAD_OPTIONS', 'Softmax', 'expected SoftmaxOptions');
});

test('TOO_LARGE: one tensor shared by thousands of vector entries, and counts over the limits', () => {
  const b = new Builder(1024);
  const name = b.createString('t');
  const shape = fb.Tensor.createShapeVector(b, [1, 2, 3, 4, 5, 6]);
  fb.Tensor.startTensor(b);
  fb.Tensor.addName(b, name);
  fb.Tensor.addShape(b, shape);
  const t = fb.Tensor.endTensor(b);
  const tensors = fb.Model.createTensorsVector(b, new Array(20000).fill(t));
  const empty = fb.Model.createBuffersVector(b, []);
  const ops = fb.Model.createOpsVector(b, []);
  const io = fb.Model.createInputsVector(b, []);
  const io2 = fb.Model.createOutputsVector(b, []);
  const producer = b.createString('x');
  fb.Metadata.startMetadata(b);
  fb.Metadata.addProducer(b, producer);
  const meta = fb.Metadata.endMetadata(b);
  fb.Model.startModel(b);
  fb.Model.addVersion(b, 1);
  fb.Model.addTensors(b, tensors);
  fb.Model.addBuffers(b, empty);
  fb.Model.addOps(b, ops);
  fb.Model.addInputs(b, io);
  fb.Model.addOutputs(b, io2);
  fb.Model.addMetadata(b, meta);
  b.finish(fb.Model.endModel(b), 'WQM1');
  expectModelError(() => readModel(b.asUint8Array()), 'TOO_LARGE', 'Model.tensors[');
  expectModelError(() => readModel(valid(), { limits: { maxTensors: 5 } }), 'TOO_LARGE', 'tensors', 'limit is 5');
  expectModelError(() => readModel(valid(), { limits: { maxOps: 2 } }), 'TOO_LARGE', 'ops');
});

test('semantic errors in a file are caught after decoding (file written without verification)', () => {
  const m = smallCnn();
  m.tensors[3]!.shape = [8, 3, 3, 4];
  expectModelError(() => readModel(encodeModel(m)), 'BUFFER_SIZE', "tensor 3 'conv1/w'");
  const dup = singleOpModel('Relu');
  dup.metadata.extra = { ab: '1', aa: '2' };
  const bytes = encodeModel(dup);
  const at = Buffer.from(bytes).indexOf('ab\0');
  bytes[at + 1] = 0x61; // "ab" -> "aa"
  expectModelError(() => readModel(bytes), 'BAD_METADATA', "key 'aa' appears twice");
});

test.run();
