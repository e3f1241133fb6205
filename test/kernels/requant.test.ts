import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { instantiateKernels } from '../../src/runtime/wasm.js';
import { WasmHeap } from '../../src/runtime/heap.js';
import type { KernelExports } from '../../src/runtime/kernel-abi.js';
import { packFixedPointParams } from '../../src/runtime/requant-params.js';
import { srdhmRef, rdbpotRef, requantRef, int32EdgeValues, firstAccReaching, randomF64Multipliers } from '../ref/requant.js';
import { prng } from '../ref/prng.js';

const kernels = await instantiateKernels();
const k = kernels.exports as KernelExports;
const heap = new WasmHeap(kernels);
const edges = int32EdgeValues();

test('SRDHM matches the definition on every pair of gemmlowp edge values', () => {
  for (const a of edges) for (const b of edges) {
    const got = k.srdhmScalar(a, b), want = srdhmRef(a, b);
    if (got !== want) assert.unreachable(`srdhm(${a}, ${b}) = ${got}, want ${want}`);
  }
});

test('RDBPOT matches the definition on every edge value and every exponent 0..31', () => {
  for (const x of edges) for (let e = 0; e <= 31; e++) {
    const got = k.rdbpotScalar(x, e), want = rdbpotRef(x, e);
    if (got !== want) assert.unreachable(`rdbpot(${x}, ${e}) = ${got}, want ${want}`);
  }
});

/** Runs both requantization loops over an int32 [rows, channels] matrix and compares with the reference. */
function checkRows(seed: number, acc: Int32Array, rows: number, channels: number, m0: Int32Array, shifts: Int32Array, zp: number, qmin: number, qmax: number) {
  const mark = heap.mark();
  const params = packFixedPointParams(k, heap, m0, shifts);
  const accPtr = heap.put(acc);
  const simdOut = heap.alloc(acc.length);
  const scalarOut = heap.alloc(acc.length);
  k.requantizeRows(accPtr, simdOut, rows, channels, params, zp, qmin, qmax);
  k.requantizeRowsScalar(accPtr, scalarOut, rows, channels, params, zp, qmin, qmax);
  const simd = heap.i8(simdOut, acc.length), scalar = heap.i8(scalarOut, acc.length);
  for (let i = 0; i < acc.length; i++) {
    const c = i % channels;
    const want = requantRef(acc[i], m0[c], shifts[c], zp, qmin, qmax);
    if (simd[i] !== want || scalar[i] !== want) {
      assert.unreachable(`seed ${seed}: acc ${acc[i]} M0 ${m0[c]} shift ${shifts[c]} zp ${zp} [${qmin},${qmax}]: simd ${simd[i]} scalar ${scalar[i]} want ${want}`);
    }
  }
  heap.release(mark);
}

test('SIMD and scalar requantization match the BigInt reference on every edge accumulator, for every shift -31..30', () => {
  const acc = Int32Array.from(edges);
  const rng = prng(7);
  for (let shift = -31; shift <= 30; shift++) {
    for (const m of [1 << 30, 2147483647, 1518500250, 1073741825, 0]) {
      const channels = 16 + rng.int(0, 20); // full vectors plus a scalar tail
      const rows = Math.ceil(acc.length / channels);
      const padded = new Int32Array(rows * channels);
      padded.set(acc);
      for (let i = acc.length; i < padded.length; i++) padded[i] = rng.u32() | 0;
      checkRows(shift, padded, rows, channels, new Int32Array(channels).fill(m), new Int32Array(channels).fill(shift), rng.pick([-128, 0, 127]), -128, 127);
    }
  }
});

test('per-channel multipliers, zero points and clamp bounds: thousands of random cases match exactly', () => {
  for (let seed = 1; seed <= 300; seed++) {
    const rng = prng(seed);
    const channels = rng.int(1, 70);
    const rows = rng.int(1, 6);
    const m0 = new Int32Array(channels), shifts = new Int32Array(channels);
    for (let c = 0; c < channels; c++) {
      m0[c] = rng.pick([0, 1 << 30, 2147483647, 1073741824 + rng.int(0, 1073741823)]);
      shifts[c] = rng.pick([-31, -1, 0, 1, 30, rng.int(-31, 30), rng.int(-12, -4)]);
    }
    const acc = new Int32Array(rows * channels);
    for (let i = 0; i < acc.length; i++) {
      acc[i] = rng.pick([rng.u32() | 0, rng.int(-70000, 70000), rng.pick(edges)]);
    }
    const zp = rng.pick([-128, 0, 127, rng.int(-128, 127)]);
    const a = rng.int(-128, 127), b = rng.int(-128, 127);
    checkRows(seed, acc, rows, channels, m0, shifts, zp, Math.min(a, b), Math.max(a, b));
  }
});

const F64_MODE = 2;

test('ReLU-clamped layers (qmin >= zp) take the single-rounding f64 path, exact at every output step', () => {
  for (let seed = 1; seed <= 60; seed++) {
    const rng = prng(500 + seed);
    const channels = rng.int(1, 40);
    const { m0, shift: shifts } = randomF64Multipliers(rng, channels);
    const zp = rng.pick([-128, 0, rng.int(-128, 120)]);
    const qmin = rng.pick([zp, zp, rng.int(zp, 127)]);
    const qmax = rng.pick([127, rng.int(qmin, 127)]);
    const mark = heap.mark();
    const params = packFixedPointParams(k, heap, m0, shifts);
    assert.is(k.requantMode(params, channels, zp, qmin, qmax), F64_MODE, `seed ${seed}: mode`);
    heap.release(mark);
    // Per channel: the accumulators where the output steps up (found from the reference alone), +-1 around
    // them, the int32 edges and random values; laid out as rows of `channels`.
    const values: number[][] = [];
    for (let c = 0; c < channels; c++) {
      const list = [...edges];
      for (let i = 0; i < 40; i++) {
        const level = rng.int(qmin, qmax);
        const t = firstAccReaching(level, m0[c], shifts[c], zp, qmin, qmax, -(2 ** 31), 2 ** 31 - 1);
        for (const d of [-1, 0, 1]) if (t + d >= -(2 ** 31) && t + d < 2 ** 31) list.push(t + d);
        list.push(rng.int(-(1 << 24), 1 << 24));
      }
      values.push(list);
    }
    const rows = Math.max(...values.map((v) => v.length));
    const acc = new Int32Array(rows * channels);
    for (let r = 0; r < rows; r++) for (let c = 0; c < channels; c++) acc[r * channels + c] = values[c][r % values[c].length];
    checkRows(seed, acc, rows, channels, m0, shifts, zp, qmin, qmax);
  }
});

// REQUANT_F64_OFFSET (assembly/requant-offsets.ts): per channel an offset beta for the accumulator and a rounding
// constant, exact wherever acc + beta is int32, for the clamp [-128, 127] with zero point -128.
const INT32 = { min: -(2 ** 31), max: 2 ** 31 - 1 };

/** Checks channel c's offset form against the reference at accs (those with acc + beta in int32). */
function checkOffsetChannel(label: string, params: number, channels: number, c: number, m0: number, shift: number, accs: number[]): void {
  const beta = k.requantOffset(params, channels, c, false);
  for (const acc of accs) {
    if (acc < INT32.min || acc > INT32.max || acc + beta < INT32.min || acc + beta > INT32.max) continue;
    const want = requantRef(acc, m0, shift, -128, -128, 127);
    const got = k.requantOneOffset(acc, params, channels, c);
    if (got !== want) assert.unreachable(`${label}: M0 ${m0} shift ${shift} beta ${beta}: acc ${acc} gives ${got}, want ${want}`);
  }
}

/** Multipliers for the offset forms: the edges 2^31 - 1 and 2^30 + 1, normalized, any; right shifts 1..20. */
function randomOffsetMultipliers(rng: ReturnType<typeof prng>, channels: number): { m0: Int32Array; shifts: Int32Array } {
  const m0 = new Int32Array(channels), shifts = new Int32Array(channels);
  for (let c = 0; c < channels; c++) {
    m0[c] = rng.pick([2147483647, 1073741825, 1073741824 + rng.int(0, 1073741823), rng.int(1, 2147483647)]);
    shifts[c] = -rng.pick([1, 2, 3, rng.int(1, 12), rng.int(1, 20)]);
  }
  return { m0, shifts };
}

/** The int32 edge set, every value in [lo, hi] (when given), and both sides of each output step of the clamp. */
function offsetCheckAccs(m0: number, shift: number, zp: number, qmin: number, qmax: number, every?: [number, number]): number[] {
  const accs: number[] = [...edges];
  if (every) for (let a = every[0]; a <= every[1]; a++) accs.push(a);
  for (let level = qmin; level <= qmax; level++) {
    const t = firstAccReaching(level, m0, shift, zp, qmin, qmax);
    accs.push(t - 1, t, t + 1);
  }
  return accs;
}

/** 40 seeded layers of randomOffsetMultipliers, their params packed; the heap is released after each visit. */
function forOffsetLayers(seedBase: number, visit: (seed: number, rng: ReturnType<typeof prng>, params: number, channels: number, m0: Int32Array, shifts: Int32Array) => void): void {
  for (let seed = 1; seed <= 40; seed++) {
    const rng = prng(seedBase + seed);
    const channels = rng.int(1, 24);
    const { m0, shifts } = randomOffsetMultipliers(rng, channels);
    const mark = heap.mark();
    visit(seed, rng, packFixedPointParams(k, heap, m0, shifts), channels, m0, shifts);
    heap.release(mark);
  }
}

test('offset form: exact for every accumulator on small shifts, and at every output step on all the others', () => {
  let found = 0, tried = 0;
  forOffsetLayers(900, (seed, _rng, params, channels, m0, shifts) => {
    for (let c = 0; c < channels; c++) {
      const e = -shifts[c];
      if (m0[c] >= 2 ** 30 && e <= 12) { tried++; if (k.requantOffset(params, channels, c, false) !== INT32.min) found++; }
      if (k.requantOffset(params, channels, c, false) === INT32.min) continue;
      // (small shifts: every value up to past the last step, ~255 * 2^(e+1))
      const accs = offsetCheckAccs(m0[c], shifts[c], -128, -128, 127, e <= 3 ? [-3000, 1 << (e + 10)] : undefined);
      checkOffsetChannel(`seed ${seed} channel ${c}`, params, channels, c, m0[c], shifts[c], accs);
    }
  });
  // The window for beta M0 mod 2^(31+e) is ~M0 / 256 wide: normalized multipliers with e <= 12 nearly always have one.
  assert.ok(found >= 0.97 * tried, `offsets found for ${found} of ${tried} normalized channels with e <= 12`);
});

test('signed offset form: exact on both sides of zero for any zero point and clamp, at every output step', () => {
  let found = 0, tried = 0;
  forOffsetLayers(1900, (seed, rng, params, channels, m0, shifts) => {
    const zp = rng.pick([127, 0, rng.int(-127, 127)]);
    const qmin = rng.pick([-128, rng.int(-128, zp - 1)]), qmax = rng.pick([127, rng.int(zp, 127)]);
    for (let c = 0; c < channels; c++) {
      const e = -shifts[c];
      const neg = k.requantOffset(params, channels, c, true), pos = k.requantOffset(params, channels, c, false);
      if (m0[c] >= 2 ** 30 && e <= 12) { tried++; if (neg !== INT32.min) found++; }
      if (neg === INT32.min) continue;
      for (const acc of offsetCheckAccs(m0[c], shifts[c], zp, qmin, qmax, e <= 3 ? [-(1 << (e + 10)), 1 << (e + 10)] : undefined)) {
        const beta = acc < 0 ? neg : pos;
        if (acc < INT32.min || acc > INT32.max || acc + beta < INT32.min || acc + beta > INT32.max) continue;
        const want = requantRef(acc, m0[c], shifts[c], zp, qmin, qmax);
        const got = k.requantOneOffsetSigned(acc, params, channels, c, zp, qmin, qmax);
        if (got !== want) assert.unreachable(`seed ${seed} channel ${c}: M0 ${m0[c]} shift ${shifts[c]} betas ${pos}, ${neg}, zp ${zp} clamp [${qmin}, ${qmax}]: acc ${acc} gives ${got}, want ${want}`);
      }
    }
  });
  assert.ok(found >= 0.95 * tried, `offsets for both signs found for ${found} of ${tried} normalized channels with e <= 12`);
});

test('offset form: none where it cannot be exact (power-of-two multipliers, beta past 2^30), and zero multipliers give -128', () => {
  const mark = heap.mark();
  const m0 = Int32Array.of(1 << 30, 1500000001, 0, 1500000001);
  const shifts = Int32Array.of(-5, -25, -7, -0);
  const params = packFixedPointParams(k, heap, m0, shifts);
  // M0 = 2^30: beta M0 mod 2^(31+e) is a multiple of 2^30, never strictly inside the window, and ties round to even.
  assert.is(k.requantOffset(params, 4, 0, false), INT32.min, 'M0 = 2^30');
  assert.is(k.requantOffset(params, 4, 1, false), INT32.min, 'e = 25: |beta| ~ 2^34');
  assert.is(k.requantOffset(params, 4, 2, false), 0, 'M0 = 0');
  assert.is(k.requantOffset(params, 4, 3, false), INT32.min, 'shift 0: no single rounding');
  for (const acc of edges) assert.is(k.requantOneOffset(acc, params, 4, 2), -128, `M0 = 0, acc ${acc}`);
  heap.release(mark);
});

test('requantMode keeps the 64-bit paths where the f64 one would not be exact', () => {
  const mark = heap.mark();
  const m0 = Int32Array.of(1 << 30, 2147483647), neg = Int32Array.of(-5, -3);
  const p = packFixedPointParams(k, heap, m0, neg);
  assert.is(k.requantMode(p, 2, 0, 0, 127), F64_MODE);
  assert.is(k.requantMode(p, 2, 0, -128, 127), 1, 'qmin < zp: negative outputs need the [x < 0] term');
  const big = packFixedPointParams(k, heap, m0, Int32Array.of(-5, -25));
  assert.is(k.requantMode(big, 2, -128, -128, 127), 1, 'e = 25: products past 2^52');
  const left = packFixedPointParams(k, heap, m0, Int32Array.of(-5, 0));
  assert.is(k.requantMode(left, 2, 0, 0, 127), 0, 'a shift of 0');
  heap.release(mark);
});

test.run();
