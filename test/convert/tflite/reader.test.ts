import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readTflite, TensorType } from '../../../src/convert/tflite/schema.js';
import { importTflite } from '../../../src/convert/tflite/import.js';
import { builtinName } from '../../../src/convert/tflite/builtin-ops.js';
import { ConvertError } from '../../../src/convert/errors.js';
import { prng } from '../../ref/prng.js';
import { coralDir } from '../images/coral-data.js';

const ELEM: Record<number, number> = { [TensorType.FLOAT32]: 4, [TensorType.INT32]: 4, [TensorType.UINT8]: 1, [TensorType.INT8]: 1, [TensorType.INT64]: 8 };

const EXPECTED = [
  { file: 'mobilenet_v2_1.0_224_quant.tflite', tensors: 174, ops: 66, input: [1, 224, 224, 3], type: TensorType.UINT8, codes: ['ADD', 'AVERAGE_POOL_2D', 'CONV_2D', 'DEPTHWISE_CONV_2D', 'RESHAPE', 'SOFTMAX'] },
  { file: 'tf2_mobilenet_v2_1.0_224_ptq.tflite', tensors: 177, ops: 68, input: [1, 224, 224, 3], type: TensorType.UINT8, codes: ['ADD', 'CONV_2D', 'DEPTHWISE_CONV_2D', 'MEAN', 'QUANTIZE', 'RESHAPE', 'SOFTMAX'] },
  { file: 'mobilenet_v1_0.25_128_quant.tflite', tensors: 89, ops: 31, input: [1, 128, 128, 3], type: TensorType.UINT8, codes: ['AVERAGE_POOL_2D', 'CONV_2D', 'DEPTHWISE_CONV_2D', 'RESHAPE', 'SOFTMAX'] },
];

test('the coral models parse into consistent graphs', () => {
  const dir = coralDir('tflite/reader coral models');
  if (!dir) return;
  for (const e of EXPECTED) {
    const m = readTflite(readFileSync(join(dir, e.file)), e.file);
    assert.is(m.version, 3);
    assert.is(m.subgraphs.length, 1);
    const g = m.subgraphs[0];
    assert.is(g.tensors.length, e.tensors, e.file);
    assert.is(g.operators.length, e.ops, e.file);
    assert.equal(m.operatorCodes.map((c) => builtinName(c.builtinCode)).sort(), e.codes, e.file);
    assert.equal(g.tensors[g.inputs[0]].shape, e.input);
    assert.is(g.tensors[g.inputs[0]].type, e.type);
    assert.equal(g.tensors[g.outputs[0]].shape, [1, 1001]);
    assert.is(m.buffers[0].length, 0, 'buffer 0 is the empty sentinel');
    // every operand exists, every op's code exists, every constant's buffer holds exactly its elements
    let constants = 0;
    for (const op of g.operators) {
      assert.ok(op.opcodeIndex < m.operatorCodes.length);
      for (const i of [...op.inputs, ...op.outputs]) assert.ok(i >= -1 && i < g.tensors.length);
    }
    for (const t of g.tensors) {
      const data = m.buffers[t.buffer];
      if (data.length === 0) continue;
      constants++;
      assert.is(data.length, t.shape.reduce((a, b) => a * b, 1) * ELEM[t.type], t.name);
    }
    assert.ok(constants > e.ops, `${e.file}: ${constants} constants`);
    // activation tensors all carry one scale and a zero point inside the type's range
    for (const t of g.tensors) {
      if (t.type !== TensorType.UINT8 && t.type !== TensorType.INT8) continue;
      const q = t.quantization!;
      assert.ok(q.scale.length >= 1 && q.scale.every((s) => s > 0), t.name);
      assert.is(q.zeroPoint.length, q.scale.length);
    }
  }
});

function expectTyped(fn: () => unknown, what: string): ConvertError | undefined {
  try {
    fn();
    return undefined;
  } catch (e) {
    if (!(e instanceof ConvertError)) assert.unreachable(`${what}: ${e instanceof Error ? e.stack : e}`);
    assert.ok(typeof (e as ConvertError).code === 'string' && (e as ConvertError).code.length > 0);
    return e as ConvertError;
  }
}

const loadSmall = (dir: string) => new Uint8Array(readFileSync(join(dir, 'mobilenet_v1_0.25_128_quant.tflite')));

test('truncated files, a wrong identifier and bad root / vtable offsets give BAD_TFLITE naming a field', () => {
  const dir = coralDir('tflite/reader malformed');
  if (!dir) return;
  const bytes = loadSmall(dir);
  // (the file ends with a zip of labels after the flatbuffer: cuts stay within the flatbuffer's 503,775 bytes)
  for (const cut of [0, 3, 7, 8, 16, 100, 1000, 10_000, 250_000, 503_000]) {
    const e = expectTyped(() => readTflite(bytes.subarray(0, cut), 'cut.tflite'), `cut ${cut}`);
    assert.ok(e, `cut to ${cut} bytes parsed`);
    assert.is(e!.code, 'BAD_TFLITE');
    assert.ok(e!.message.startsWith('cut.tflite: '), e!.message);
  }
  const wrongId = bytes.slice(); wrongId[4] = 0x58;
  assert.match(expectTyped(() => readTflite(wrongId, 'x'), 'id')!.message, /TFL3/);
  const badRoot = bytes.slice(); new DataView(badRoot.buffer).setUint32(0, 0xfffffff0, true);
  assert.match(expectTyped(() => readTflite(badRoot, 'x'), 'root')!.message, /model/);
  const root = new DataView(bytes.buffer).getUint32(0, true);
  const badVtable = bytes.slice(); new DataView(badVtable.buffer).setInt32(root, -0x7ffffff0, true);
  assert.match(expectTyped(() => readTflite(badVtable, 'x'), 'vtable')!.message, /model \(vtable\)/);
});

/** Byte ranges of the file that are constant data (weights): mutating them cannot break the structure. */
function dataRanges(bytes: Uint8Array): [number, number][] {
  const m = readTflite(bytes);
  return m.buffers.filter((b) => b.length > 0).map((b) => [b.byteOffset - bytes.byteOffset, b.byteOffset - bytes.byteOffset + b.length]);
}

test('2,000 seeded mutants (byte sets, bit flips, word overwrites, truncations) give a model or a typed error', () => {
  const dir = coralDir('tflite/reader fuzz');
  if (!dir) return;
  const original = loadSmall(dir);
  const ranges = dataRanges(original);
  const inData = (p: number) => ranges.some(([a, b]) => p >= a && p < b);
  const structure: number[] = [];
  for (let p = 0; p < original.length; p++) if (!inData(p)) structure.push(p);
  const seed = 20261123, r = prng(seed);
  const outcomes = { parsed: 0, imported: 0, errors: new Map<string, number>() };
  let slowest = 0;
  for (let i = 0; i < 2000; i++) {
    let m = original.slice();
    const dv = new DataView(m.buffer);
    const kind = r.int(0, 3);
    // nine in ten mutations hit the flatbuffer's structure rather than the weights
    const pos = () => (r.float() < 0.9 ? r.pick(structure) : r.int(0, m.length - 1));
    if (kind === 0) for (let k = r.int(1, 8); k > 0; k--) m[pos()] = r.int(0, 255);
    else if (kind === 1) for (let k = r.int(1, 8); k > 0; k--) { const p = pos(); m[p] ^= 1 << r.int(0, 7); }
    else if (kind === 2) {
      const p = Math.min(pos() & ~3, m.length - 4);
      dv.setUint32(p, r.pick([0, 1, 0xffffffff, 0x7fffffff, 0x80000000, r.u32(), r.int(0, 4096), m.length]), true);
    } else m = m.subarray(0, r.int(0, m.length - 1));
    const t0 = performance.now();
    try {
      readTflite(m, 'mutant.tflite');
      outcomes.parsed++;
      importTflite(m, { source: 'mutant.tflite' });
      outcomes.imported++;
    } catch (e) {
      if (!(e instanceof ConvertError)) assert.unreachable(`seed ${seed} mutant ${i} (kind ${kind}): ${e instanceof Error ? e.stack : e}`);
      const code = (e as ConvertError).code;
      outcomes.errors.set(code, (outcomes.errors.get(code) ?? 0) + 1);
    }
    slowest = Math.max(slowest, performance.now() - t0);
  }
  // a guard against hangs, not a speed measurement: one mutant reads 0.5 MB
  assert.ok(slowest < 2000, `a mutant took ${slowest.toFixed(0)} ms`);
  assert.ok((outcomes.errors.get('BAD_TFLITE') ?? 0) > 200, `only ${outcomes.errors.get('BAD_TFLITE')} mutants were refused`);
  assert.ok(outcomes.imported > 100, `only ${outcomes.imported} mutants imported`);
});

test.run();
