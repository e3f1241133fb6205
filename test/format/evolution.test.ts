// The schema's evolution rules in action: files from a newer writer that only appended fields still read;
// what an old reader cannot interpret (packed sub-byte data, a newer version) is refused by name.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Builder } from 'flatbuffers';
import * as fb from '../../src/format/generated/wasmq.js';
import { readModel } from '../../src/format/index.js';
import { encodeModel } from '../../src/format/write.js';
import { singleOpModel, smallCnn } from './fixtures.js';
import { expectModelError } from './expect-error.js';

/** Encodes with every Tensor table built by `start`/`beforeEnd` instead of the generated start/end. */
function withTensorHooks(start: (b: Builder) => void, beforeEnd: (b: Builder) => void, encode: () => Uint8Array): Uint8Array {
  const { startTensor, endTensor } = fb.Tensor;
  fb.Tensor.startTensor = start;
  fb.Tensor.endTensor = (b) => { beforeEnd(b); return endTensor(b); };
  try {
    return encode();
  } finally {
    fb.Tensor.startTensor = startTensor;
    fb.Tensor.endTensor = endTensor;
  }
}

test('fields appended by a newer writer are ignored by this reader', () => {
  const m = smallCnn();
  const bytes = withTensorHooks(
    (b) => b.startObject(12),
    (b) => { b.addFieldInt32(9, 0x12345, 0); b.addFieldFloat64(11, 2.5, 0); },
    () => encodeModel(m),
  );
  assert.equal(readModel(bytes), m);
});

test('packed sub-byte tensors (bits / packing set) are refused by name until this version supports them', () => {
  const m = smallCnn();
  const bits = withTensorHooks(fb.Tensor.startTensor, (b) => fb.Tensor.addBits(b, 4), () => encodeModel(m));
  expectModelError(() => readModel(bits), 'BAD_TYPE', "tensor 0 'image'", '4-bit');
  const packing = withTensorHooks(fb.Tensor.startTensor, (b) => b.addFieldInt8(6, 1, 0), () => encodeModel(m));
  expectModelError(() => readModel(packing), 'BAD_TYPE', "tensor 0 'image'", 'packing 1');
});

test('a Quantize written before QuantizeOptions existed (options NONE) reads as half away from zero', () => {
  const m = singleOpModel('Quantize');
  const { addOptionsType, addOptions } = fb.Op;
  fb.Op.addOptionsType = () => {};
  fb.Op.addOptions = () => {};
  let bytes: Uint8Array;
  try {
    bytes = encodeModel(m);
  } finally {
    fb.Op.addOptionsType = addOptionsType;
    fb.Op.addOptions = addOptions;
  }
  const back = readModel(bytes);
  assert.ok(bytes.length < encodeModel(m).length, "the options table was left out");
  assert.equal(back.ops[0]!.options, {});
  assert.equal(back, m);
});

test.run();
