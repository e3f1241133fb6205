// Sessions convert float data at int8/uint8 graph edges with the wasm kernels (quantizeF32 / dequantize8 via a
// staging area) and flip uint8 with flipSign8: byte-identical to the TypeScript edge conversions in
// test/ref/edge.ts, on random data with ties, NaN, infinities, huge values and non-multiple-of-16 lengths.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { loadModel } from '../../src/index.js';
import { GraphBuilder } from './build.js';
import { prng, randomInt8, type Rng } from '../ref/prng.js';
import { dequantizeInt8, quantizeToInt8, uint8ToInt8 } from '../ref/edge.js';

/** inputs a [n1] and b [n2] (8-bit, one scale/zp) -> Concatenation (a byte copy) -> out [n1 + n2] */
function concatModel(dtype: 'int8' | 'uint8', n1: number, n2: number, scale: number, zp: number) {
  const g = new GraphBuilder();
  const q = { scale, zeroPoint: zp };
  const a = g.input('a', [n1], dtype, q), b = g.input('b', [n2], dtype, q);
  const y = g.tensor('out', [n1 + n2], dtype, q);
  g.op('Concatenation', [a, b], [y], { axis: 0, activation: 'none' });
  return g.build(y);
}

const SPECIAL = [NaN, -NaN, Infinity, -Infinity, 3.4e38, -3.4e38, 1e-45, -1e-45, 0, -0];

/** Normal values around the quantized range, exact ties (k + 1/2) * scale, and the special values. */
function floatData(rng: Rng, n: number, scale: number): Float32Array {
  const x = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const kind = rng.int(0, 9);
    if (kind < 5) x[i] = rng.normal() * scale * 80;
    else if (kind < 8) x[i] = (rng.int(-140, 140) + 0.5) * scale;
    else if (kind < 9) x[i] = rng.pick(SPECIAL);
    else x[i] = (rng.float() - 0.5) * 10 ** rng.int(-40, 38);
  }
  return x;
}

function bytesOf(a: ArrayBufferView): number[] {
  return Array.from(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
}

test('float feeds and outputs at int8 and uint8 edges match the TypeScript edge conversions byte for byte', async () => {
  const rng = prng(20261123);
  for (let m = 0; m < 16; m++) {
    const dtype = m % 2 ? 'uint8' : 'int8';
    const n1 = rng.int(0, 600), n2 = rng.int(1, 90);
    // power-of-two scales make (k + 1/2) * scale exact ties; others are arbitrary (tiny to large)
    const scale = m % 4 < 2 ? 2 ** rng.int(-8, 3) : Math.fround(10 ** (rng.float() * 7 - 5));
    const zp = dtype === 'int8' ? rng.int(-128, 127) : rng.int(0, 255);
    const zp8 = dtype === 'int8' ? zp : zp - 128; // the int8 representation the kernels run on
    const label = `model ${m}: ${dtype} [${n1}]+[${n2}] scale ${scale} zp ${zp}`;
    const session = await (await loadModel(concatModel(dtype, n1, n2, scale, zp))).createSession();
    for (let run = 0; run < 4; run++) {
      const a = floatData(rng, n1, scale), b = floatData(rng, n2, scale);
      const [aCopy, bCopy] = [a.slice(), b.slice()];
      const expected = new Int8Array(n1 + n2);
      quantizeToInt8(a, expected.subarray(0, n1), scale, zp8);
      quantizeToInt8(b, expected.subarray(n1), scale, zp8);
      const raw = session.runSync({ a, b }, { raw: true }).out;
      const expectedRaw = dtype === 'int8' ? expected : Uint8Array.from(expected, (q) => q ^ 0x80);
      assert.instance(raw, dtype === 'int8' ? Int8Array : Uint8Array, label);
      assert.equal(bytesOf(raw), bytesOf(expectedRaw), `${label}, run ${run}: quantized bytes`);
      const real = new Float32Array(n1 + n2);
      dequantizeInt8(expected, real, scale, zp8);
      const out = session.runSync({ a, b }).out;
      assert.instance(out, Float32Array, label);
      assert.equal(bytesOf(out), bytesOf(real), `${label}, run ${run}: dequantized floats`);
      assert.equal(bytesOf(a), bytesOf(aCopy), `${label}: feed a was mutated`);
      assert.equal(bytesOf(b), bytesOf(bCopy), `${label}: feed b was mutated`);
    }
    // 8-bit feeds: every byte value, dequantized as the reference does; uint8 passes through flipSign8 twice.
    const qa = randomInt8(rng, n1), qb = randomInt8(rng, n2);
    const expected = new Int8Array([...qa, ...qb]);
    const feeds = dtype === 'int8'
      ? { a: qa, b: qb }
      : { a: Uint8Array.from(qa, (q) => q ^ 0x80), b: Uint8Array.from(qb, (q) => q ^ 0x80) };
    const feedCopy = bytesOf(feeds.a);
    if (dtype === 'uint8') {
      const back = new Int8Array(n1);
      uint8ToInt8(feeds.a as Uint8Array, back);
      assert.equal(bytesOf(back), bytesOf(qa), 'reference flip');
    }
    const real = new Float32Array(n1 + n2);
    dequantizeInt8(expected, real, scale, zp8);
    assert.equal(bytesOf(session.runSync(feeds).out), bytesOf(real), `${label}: 8-bit feed, float output`);
    const rawFeeds = dtype === 'int8' ? expected : new Uint8Array([...feeds.a, ...feeds.b]);
    assert.equal(bytesOf(session.runSync(feeds, { raw: true }).out), bytesOf(rawFeeds), `${label}: raw round trip`);
    assert.equal(bytesOf(feeds.a), feedCopy, `${label}: 8-bit feed was mutated`);
  }
});

test('the float staging area is part of each session\'s arena and counted in the memory plan', async () => {
  const float = await loadModel(concatModel('int8', 100, 30, 0.5, 0));
  const { memory } = float.info;
  // largest quantized edge: the output, 130 floats = 520 bytes (576 aligned), above the planned activations
  const activationsEnd = Math.max(...memory.tensors.map((p) => p.offset + p.bytes));
  assert.ok(memory.arenaBytes - 576 >= activationsEnd, `arena ${memory.arenaBytes} holds the activations (to ${activationsEnd}) and the staging area`);
  assert.ok(memory.arenaLowerBound >= 576 && memory.arenaLowerBound <= memory.arenaBytes);
  const [s1, s2] = [float.createSessionSync(), float.createSessionSync()];
  const x1 = new Float32Array(100).fill(3), x2 = new Float32Array(100).fill(-7);
  const y1 = new Float32Array(30).fill(1), y2 = new Float32Array(30).fill(2);
  const o1 = s1.runSync({ a: x1, b: y1 }).out, o2 = s2.runSync({ a: x2, b: y2 }).out;
  assert.equal(Array.from(o1.subarray(98, 102)), [3, 3, 1, 1]);
  assert.equal(Array.from(o2.subarray(98, 102)), [-7, -7, 2, 2]);
});

test.run();
