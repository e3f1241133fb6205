import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { instantiateKernels } from '../../src/runtime/wasm.js';
import { WasmHeap } from '../../src/runtime/heap.js';
import type { KernelExports } from '../../src/runtime/kernel-abi.js';
import { packFixedPointParams } from '../../src/runtime/requant-params.js';
import { packGemmWeights, GEMM_MR } from '../../src/runtime/kernels/gemm.js';
import { WasmqError } from '../../src/runtime/errors.js';
import { gemmRef, randomOutputQuant, randomZeroPoint, randomWeightZeroPoint, type OutputQuant } from '../ref/gemm.js';
import { prng, randomInt8, randomInt32, type Rng } from '../ref/prng.js';

const kernels = await instantiateKernels();
const k = kernels.exports as KernelExports;
const heap = new WasmHeap(kernels);
const SENTINEL = 0x5a;

interface Case { m: number; n: number; kk: number; lda: number; ldc: number; a: Int8Array; w: Int8Array; bias: Int32Array | null; zpIn: number; zpW: number; q: OutputQuant }

function randomCase(rng: Rng, m: number, n: number, kk: number): Case {
  const lda = kk + rng.pick([0, 0, rng.int(1, 9)]);
  const ldc = n + rng.pick([0, 0, rng.int(1, 5)]);
  const zpIn = randomZeroPoint(rng), zpW = randomWeightZeroPoint(rng);
  const w = zpW === 0 ? randomInt8(rng, n * kk, -127, 127) : randomInt8(rng, n * kk);
  const bias = rng.int(0, 4) === 0 ? null : randomInt32(rng, n, -100000, 100000);
  return { m, n, kk, lda, ldc, a: randomInt8(rng, m * lda), w, bias, zpIn, zpW, q: randomOutputQuant(rng, n, kk) };
}

function describe(seed: number, c: Case): string {
  return `seed ${seed}: m ${c.m} n ${c.n} k ${c.kk} lda ${c.lda} ldc ${c.ldc} zpIn ${c.zpIn} zpW ${c.zpW} zpOut ${c.q.zpOut} clamp [${c.q.qmin}, ${c.q.qmax}]`;
}

/** Checks an output matrix (row stride ldc) against the reference, and that the gap bytes are untouched. */
function expectMatrix(got: Int8Array, want: Int8Array, c: Case, label: string): void {
  for (let i = 0; i < c.m; i++) {
    for (let j = 0; j < c.ldc; j++) {
      const g = got[i * c.ldc + j];
      const wv = j < c.n ? want[i * c.n + j] : SENTINEL;
      if (g !== wv) assert.unreachable(`${label}: [${i}][${j}] = ${g}, want ${wv}`);
    }
  }
}

function runDense(seed: number, c: Case): void {
  const mark = heap.mark();
  const want = gemmRef(c.a, c.m, c.kk, c.lda, c.w, c.bias, c.n, c.zpIn, c.zpW, c.q);
  const params = packFixedPointParams(k, heap, c.q.multipliers, c.q.shifts);
  const { packed } = packGemmWeights(k, heap, c.w, c.bias, c.n, c.kk, c.zpIn, c.zpW);
  const a = heap.put(c.a);
  const wRaw = heap.put(c.w);
  const bias = c.bias ? heap.put(c.bias) : 0;
  const scratch = heap.alloc(k.gemmScratchSize(c.m, c.zpW));
  const out = heap.alloc(c.m * c.ldc);
  const label = describe(seed, c);
  heap.u8(out, c.m * c.ldc).fill(SENTINEL);
  k.gemm(c.m, c.n, c.kk, a, c.lda, packed, out, c.ldc, params, c.q.zpOut, c.q.qmin, c.q.qmax, c.zpW, scratch);
  expectMatrix(heap.i8(out, c.m * c.ldc), want, c, `gemm ${label}`);
  heap.u8(out, c.m * c.ldc).fill(SENTINEL);
  k.gemmScalar(c.m, c.n, c.kk, a, c.lda, wRaw, bias, out, c.ldc, params, c.zpIn, c.zpW, c.q.zpOut, c.q.qmin, c.q.qmax);
  expectMatrix(heap.i8(out, c.m * c.ldc), want, c, `gemmScalar ${label}`);
  heap.release(mark);
}

const TILE_SIZES = (tile: number) => [1, tile - 1, tile, tile + 1, 2 * tile + 3].filter((v) => v >= 1);

// Tiles: 4x8 (K pairs) below K = 400, 2x4 (K groups of 8) from K = 400 on (assembly/gemm/layout.ts).
test('gemm and gemmScalar match the reference for M, N, K around every tile size, incl. 1', () => {
  let seed = 0;
  for (const m of [...TILE_SIZES(GEMM_MR), 2]) for (const n of [...TILE_SIZES(8), 3, 4, 5, 16]) for (const kk of [...TILE_SIZES(8), 2, 3, 16, 17, 191, 192, 193, 399, 400, 401, 407, 408]) {
    seed++;
    runDense(seed, randomCase(prng(seed), m, n, kk));
  }
});

// The 4x8c2 path widens rows 8 tiles (32 rows) at a time (assembly/gemm/widen.ts): M across those passes.
test('gemm matches the reference for M around the 32-row widening passes, small N (<= 16) and every K remainder', () => {
  for (let seed = 900; seed < 1020; seed++) {
    const rng = prng(seed);
    const m = rng.pick([31, 32, 33, 63, 64, 65, 95, 97, rng.int(34, 140)]);
    const n = rng.pick([1, 3, 8, 9, 15, 16, rng.int(1, 24)]);
    const kk = rng.pick([1, 2, 7, 8, 9, 15, 16, 17, 31, 32, 33, rng.int(1, 399)]);
    runDense(seed, randomCase(rng, m, n, kk));
  }
});

test('gemm matches the reference on 1500 random shapes, zero points, multipliers and clamps', () => {
  for (let seed = 1000; seed < 2500; seed++) {
    const rng = prng(seed);
    runDense(seed, randomCase(rng, rng.int(1, 13), rng.int(1, 40), rng.pick([rng.int(1, 40), rng.int(1, 300), rng.int(390, 520)])));
  }
});

test('gemm on a larger layer-like shape with saturating and flushing channels', () => {
  for (let seed = 5000; seed < 5004; seed++) {
    const rng = prng(seed);
    runDense(seed, randomCase(rng, 37, 72, seed % 2 ? 256 : 448));
  }
});

// Moderate shifts: the single-rounding f64 path (REQUANT_F64, ReLU clamps: qmin >= zpOut) and, with qmin < zpOut,
// the 64-bit one (REQUANT_NEGATIVE; the signed f64 path measured slower than it in these kernels); outputs
// saturate on both sides.
// With the clamp [-128, 127] and zpOut = -128, gemmRequantMode takes the offset form (4) when every channel has
// an offset (assembly/requant-offsets.ts), and the f64 path with the zero point in its rounding constant when one
// has none (here a multiplier of 2^30). With qmin < zpOut, the signed offset form (5) when every channel has
// offsets for both signs, else the 64-bit path.
const MODES = [
  ['f64', 2, 2], ['f64, clamp [-128, 127]', 2, 2], ['offset form, clamp [-128, 127]', 2, 4],
  ['64-bit (qmin < zpOut)', 1, 1], ['signed offset form (qmin < zpOut)', 1, 5],
] as const;
for (const [name, mode, gemmMode] of MODES) {
  test(`gemm in the ${name} requantization mode across M, N, K remainders and several weight panels`, () => {
    let hits = 0;
    for (let seed = 5100; seed < 5300; seed++) {
      const rng = prng(seed);
      const offsets = gemmMode >= 4;
      const [m, n, kk] = seed < 5106 ? rng.pick([[9, 300, 64], [6, 72, 256], [5, 260, 24], [7, 40, 416]]) : [rng.int(1, 11), rng.int(1, 40), rng.pick([rng.int(1, 40), rng.int(1, 260), offsets ? rng.int(300, 399) : rng.int(395, 450)])];
      const c = randomCase(rng, m, n, kk);
      const typical = -Math.round(Math.log2(kk) + 2);
      for (let j = 0; j < n; j++) {
        c.q.multipliers[j] = rng.pick(offsets ? [2147483647, 1073741825 + rng.int(0, 1073741822), 0] : [1073741824, 2147483647, 1073741824 + rng.int(0, 1073741823), 0]);
        c.q.shifts[j] = typical + rng.int(-2, 0);
      }
      if (gemmMode < 4) c.q.multipliers[rng.int(0, n - 1)] = 1073741824; // a channel without offsets
      // The full clamp with zpOut = -128 (MobileNet's ReLU6 outputs): the microkernel adds the zero point in the f64
      // rounding and lets the narrowings clamp.
      if (name.endsWith('clamp [-128, 127]')) { c.q.zpOut = -128; c.q.qmin = -128; c.q.qmax = 127; }
      else if (mode === 2) { c.q.qmin = Math.max(c.q.qmin, c.q.zpOut); c.q.qmax = Math.max(c.q.qmin, c.q.qmax); }
      else { c.q.zpOut = rng.pick([127, 0, rng.int(-127, 127)]); c.q.qmin = rng.int(-128, c.q.zpOut - 1); c.q.qmax = rng.pick([127, rng.int(c.q.qmin, 127)]); }
      const mark = heap.mark();
      const params = packFixedPointParams(k, heap, c.q.multipliers, c.q.shifts);
      assert.is(k.requantMode(params, n, c.q.zpOut, c.q.qmin, c.q.qmax), mode, `seed ${seed}: the case exercises the ${name} path`);
      const { packed } = packGemmWeights(k, heap, c.w, c.bias, c.n, c.kk, c.zpIn, c.zpW);
      const got = k.gemmRequantMode(params, n, c.q.zpOut, c.q.qmin, c.q.qmax, packed, kk, c.zpW);
      // (a channel without an offset still passes where its whole accumulator range gives one output)
      if (got === gemmMode) hits++; else assert.ok(gemmMode < 4 && got >= 4, `seed ${seed}: gemm's mode ${got} for ${name}`);
      heap.release(mark);
      runDense(seed, c);
    }
    assert.ok(hits >= 180, `${name}: gemm took mode ${gemmMode} in ${hits} of 200 cases`);
  });
}

// gemmRequantMode: channels with a tiny real multiplier (e = 21..31) keep requantMode on the 64-bit path; when
// their accumulator range, read from the packed weights, is below 0, past H, narrow (dead channels: all-zero
// weights) or has small enough products, the layer takes the f64 path (or, with the clamp [-128, 127] and
// zpOut = -128, its offset form), and stays exact.
test('gemmRequantMode takes the f64 path over tiny-multiplier channels only where it is exact', () => {
  const kinds = ['dead below 0', 'dead past H', 'dead in range', 'live, small products', 'live, large products'] as const;
  const f64 = new Map<string, number>(kinds.map((x) => [x, 0]));
  for (let seed = 6500; seed < 6800; seed++) {
    const rng = prng(seed);
    const c = randomCase(rng, rng.int(1, 9), rng.int(1, 24), rng.pick([rng.int(1, 64), rng.int(400, 430)]));
    c.zpW = 0;
    for (let i = 0; i < c.w.length; i++) if (c.w[i] === -128) c.w[i] = -127;
    c.bias = c.bias ?? new Int32Array(c.n);
    const typical = -Math.round(Math.log2(c.kk) + 2);
    for (let j = 0; j < c.n; j++) { c.q.multipliers[j] = 1073741824 + rng.int(0, 1073741823); c.q.shifts[j] = typical + rng.int(-2, 0); c.bias[j] = rng.int(-3000, 3000); }
    c.q.zpOut = Math.min(c.q.zpOut, 126);
    c.q.qmin = Math.max(c.q.qmin, c.q.zpOut); c.q.qmax = Math.max(c.q.qmin, c.q.qmax, c.q.zpOut + 1);
    const kind = kinds[seed % kinds.length];
    const ch = rng.int(0, c.n - 1);
    c.q.shifts[ch] = -(kind === 'dead past H' || kind === 'live, large products' ? 21 : rng.int(21, 31));
    if (kind === 'live, large products') {
      // accumulators 8e6 +- (>= 2560): products past 2^52, outputs ~3 steps from zpOut, far below qmax
      c.q.zpOut = Math.min(c.q.zpOut, 0); c.q.qmin = c.q.zpOut; c.q.qmax = 127;
      for (let t = 0; t < c.kk; t++) c.w[ch * c.kk + t] = rng.pick([-1, 1]) * rng.int(20, 127);
    }
    if (kind.startsWith('dead')) c.w.fill(0, ch * c.kk, (ch + 1) * c.kk);
    c.bias[ch] = kind === 'dead below 0' ? rng.int(-2e9, -1)
      : kind === 'dead past H' ? rng.int(2140000000, 2147483647)
      : kind === 'dead in range' ? rng.int(0, 2e9)
      : kind === 'live, small products' ? rng.int(-3000, 3000) : 8000000 + rng.int(0, 1000);
    if (kind === 'live, small products') for (let t = 0; t < c.kk; t++) c.w[ch * c.kk + t] = rng.int(-3, 3);
    const mark = heap.mark();
    const params = packFixedPointParams(k, heap, c.q.multipliers, c.q.shifts);
    const { packed } = packGemmWeights(k, heap, c.w, c.bias, c.n, c.kk, c.zpIn, c.zpW);
    assert.is(k.requantMode(params, c.n, c.q.zpOut, c.q.qmin, c.q.qmax), 1, `seed ${seed}: requantMode alone keeps the 64-bit path`);
    const mode = k.gemmRequantMode(params, c.n, c.q.zpOut, c.q.qmin, c.q.qmax, packed, c.kk, c.zpW);
    // The offset form (4) needs the full clamp with zpOut = -128, and proves itself without the products bound.
    const full = c.q.zpOut === -128 && c.q.qmin === -128 && c.q.qmax === 127;
    if (kind === 'live, large products') assert.ok(mode === 1 || (mode === 4 && full), `seed ${seed}: ${kind}: mode ${mode}`);
    if (mode === 4) assert.ok(full, `seed ${seed}: the offset form only with the full clamp`);
    if (mode === 2 || mode === 4) f64.set(kind, f64.get(kind)! + 1);
    heap.release(mark);
    runDense(seed, c);
  }
  for (const kind of kinds.slice(0, 4)) assert.ok(f64.get(kind)! >= 55, `${kind}: f64 in ${f64.get(kind)} of 60 cases`);
});

// The offset form adds beta to accumulators that already hold the bias: a layer takes it only where no reachable
// acc + beta leaves int32 (the weights bound the accumulators to bias +- 128 sum |w|).
test('gemmRequantMode takes the offset form only where acc + beta stays in int32', () => {
  let taken = 0, refused = 0;
  for (let seed = 6900; seed < 6960; seed++) {
    const rng = prng(seed);
    const c = randomCase(rng, rng.int(1, 9), rng.int(1, 20), rng.int(1, 64));
    c.zpIn = 0; c.zpW = 0;
    c.q.zpOut = -128; c.q.qmin = -128; c.q.qmax = 127;
    for (let i = 0; i < c.w.length; i++) if (c.w[i] === -128) c.w[i] = -127;
    c.bias = c.bias ?? new Int32Array(c.n);
    for (let j = 0; j < c.n; j++) { c.q.multipliers[j] = 1073741825 + rng.int(0, 1073741822); c.q.shifts[j] = -rng.int(14, 18); }
    const mark = heap.mark();
    const params = packFixedPointParams(k, heap, c.q.multipliers, c.q.shifts);
    const ch = rng.int(0, c.n - 1);
    const beta = k.requantOffset(params, c.n, ch, false);
    if (beta === -(2 ** 31)) { heap.release(mark); continue; }
    let spread = 0;
    for (let t = 0; t < c.kk; t++) spread += 128 * Math.abs(c.w[ch * c.kk + t]);
    // just inside, or one past, the int32 edge on beta's side
    const fits = seed % 2 === 0;
    c.bias[ch] = beta >= 0 ? 2 ** 31 - 1 - beta - spread + (fits ? 0 : 1) : -(2 ** 31) - beta + spread - (fits ? 0 : 1);
    const { packed } = packGemmWeights(k, heap, c.w, c.bias, c.n, c.kk, c.zpIn, c.zpW);
    const mode = k.gemmRequantMode(params, c.n, -128, -128, 127, packed, c.kk, 0);
    if (fits) { assert.is(mode, 4, `seed ${seed}: beta ${beta}, bias ${c.bias[ch]}`); taken++; }
    else { assert.is.not(mode, 4, `seed ${seed}: beta ${beta}, bias ${c.bias[ch]}`); refused++; }
    heap.release(mark);
    runDense(seed, c);
  }
  assert.ok(taken >= 20 && refused >= 20, `taken ${taken}, refused ${refused}`);
});

test('gemmUsesOffsets is true exactly where gemmRequantMode can take the offset forms (the ops pack offsets by it)', () => {
  const rng = prng(7100);
  const n = 12;
  const multipliers = new Int32Array(n).map(() => 1073741825 + rng.int(0, 1073741822));
  const shifts = new Int32Array(n).fill(-16);
  const mark = heap.mark();
  const params = packFixedPointParams(k, heap, multipliers, shifts);
  let withOffsets = 0;
  for (let j = 0; j < n; j++) if (k.requantOffset(params, n, j, false) !== -(2 ** 31)) withOffsets++;
  assert.is(withOffsets, n, 'every channel of this layer has an offset');
  for (const kc of [1, 24, 399, 400, 576]) {
    const w = new Int8Array(n * kc).map(() => rng.int(-3, 3));
    const { packed } = packGemmWeights(k, heap, w, new Int32Array(n), n, kc, 0, 0);
    const mode = k.gemmRequantMode(params, n, -128, -128, 127, packed, kc, 0);
    assert.is(k.gemmUsesOffsets(kc) === 1, kc < 400, `kc ${kc}`);
    assert.is(mode === 4, kc < 400, `kc ${kc}: mode ${mode}`);
  }
  heap.release(mark);
});

test('gemmRequantSkippedForBench (benchmark only) does the same accumulation, narrowed to int8 without requantization', () => {
  // The requant-share benchmark is honest only if this variant does all of gemm's work but the requantization.
  for (let seed = 6000; seed < 6150; seed++) {
    const rng = prng(seed);
    const c = randomCase(rng, rng.int(1, 11), rng.int(1, 40), rng.pick([rng.int(1, 40), rng.int(150, 260), rng.int(395, 450)]));
    const mark = heap.mark();
    const params = packFixedPointParams(k, heap, c.q.multipliers, c.q.shifts);
    const { packed } = packGemmWeights(k, heap, c.w, c.bias, c.n, c.kk, c.zpIn, c.zpW);
    const scratch = heap.alloc(k.gemmScratchSize(c.m, c.zpW));
    const out = heap.alloc(c.m * c.ldc);
    heap.u8(out, c.m * c.ldc).fill(SENTINEL);
    k.gemmRequantSkippedForBench(c.m, c.n, c.kk, heap.put(c.a), c.lda, packed, out, c.ldc, params, c.q.zpOut, c.q.qmin, c.q.qmax, c.zpW, scratch);
    const want = new Int8Array(c.m * c.n);
    for (let i = 0; i < c.m; i++) for (let j = 0; j < c.n; j++) {
      let acc = c.bias ? c.bias[j] : 0;
      for (let t = 0; t < c.kk; t++) acc = (acc + (c.a[i * c.lda + t] - c.zpIn) * (c.w[j * c.kk + t] - c.zpW)) | 0;
      want[i * c.n + j] = Math.max(-128, Math.min(127, acc));
    }
    expectMatrix(heap.i8(out, c.m * c.ldc), want, c, `gemmRequantSkippedForBench ${describe(seed, c)}`);
    heap.release(mark);
  }
});

test('indirectCorrections sums each row over its taps through a pointer table', () => {
  for (let seed = 7000; seed < 7100; seed++) {
    const rng = prng(seed);
    const rows = rng.int(1, 11), taps = rng.int(1, 9), kc = rng.pick([1, 3, 8, 17, rng.int(1, 40)]);
    const zpW = rng.pick([-128, 127, rng.int(-128, 127)]);
    const mark = heap.mark();
    const tiles = Math.ceil(rows / GEMM_MR);
    const ind = new Int32Array(tiles * taps * GEMM_MR);
    const want = new Int32Array(rows);
    for (let r = 0; r < rows; r++) for (let t = 0; t < taps; t++) {
      const seg = randomInt8(rng, kc);
      ind[(Math.floor(r / GEMM_MR) * taps + t) * GEMM_MR + (r % GEMM_MR)] = heap.put(seg, 1);
      want[r] += seg.reduce((a, b) => a + b, 0);
    }
    const corr = heap.alloc(4 * rows);
    k.indirectCorrections(heap.put(ind), rows, taps, kc, zpW, corr);
    assert.equal([...heap.i32(corr, rows)], [...want].map((v) => -zpW * v), `seed ${seed}`);
    heap.release(mark);
  }
});

test('rowSum is the wrapping sum of int8 values for every length 0..70', () => {
  const rng = prng(99);
  for (let len = 0; len <= 70; len++) {
    const mark = heap.mark();
    const v = randomInt8(rng, len);
    const got = k.rowSum(heap.put(v), len);
    assert.is(got, v.reduce((s, x) => s + x, 0), `length ${len}`);
    heap.release(mark);
  }
});

test('packGemmWeights rejects mismatched sizes and out-of-range zero points with a typed error', () => {
  const w = new Int8Array(12);
  for (const bad of [
    () => packGemmWeights(k, heap, w, null, 5, 3, 0, 0),
    () => packGemmWeights(k, heap, w, new Int32Array(3), 4, 3, 0, 0),
    () => packGemmWeights(k, heap, w, null, 4, 3, 128, 0),
    () => packGemmWeights(k, heap, w, null, 4, 3, 0, -129),
    () => packGemmWeights(k, heap, w, null, 0, 3, 0, 0),
  ]) {
    try { bad(); assert.unreachable('accepted bad arguments'); } catch (e) {
      assert.instance(e, WasmqError);
      assert.is((e as WasmqError).code, 'BAD_GEMM_ARGS');
    }
  }
  assert.equal([...w], new Array(12).fill(0), 'inputs are not mutated');
});

test.run();
