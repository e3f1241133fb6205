// The single-rounding f64 requantization with a sign term (requantModeSigned / requant4F64Signed) that the int8
// depthwise kernels use for layers without a fused ReLU (qmin < zp), checked at every output step: each kernel
// call sweeps a window of 256 consecutive accumulators per channel (a 1-tap weight of 1 on inputs -128..127)
// placed on a threshold where the reference output steps, around 0 (the sign change) or at the int32 edges.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { instantiateKernels } from '../../src/runtime/wasm.js';
import { WasmHeap } from '../../src/runtime/heap.js';
import type { KernelExports } from '../../src/runtime/kernel-abi.js';
import { packFixedPointParams } from '../../src/runtime/requant-params.js';
import { convGeometry, writeDepthwiseDescriptor, packDepthwiseInt8, depthwiseScratch } from '../../src/runtime/kernels/dwconv.js';
import { requantRef, firstAccReaching, randomF64Multipliers } from '../ref/requant.js';
import { prng } from '../ref/prng.js';

const kernels = await instantiateKernels();
const k = kernels.exports as KernelExports;
const heap = new WasmHeap(kernels);
const F64_MODE = 2;
const SIGNED_MODE = 3;
const WIDTH = 256;

interface Layer { m0: Int32Array; shift: Int32Array; zp: number; qmin: number; qmax: number; zpIn: number }

/**
 * Runs the general loop (1x1 window) and the 3x3 sliding kernel (only the centre tap non-zero) on one row of
 * WIDTH pixels whose accumulators are start[c] + 0 .. start[c] + 255, and compares with the reference.
 */
function sweep(label: string, L: Layer, start: number[]): void {
  const channels = L.m0.length;
  const x = new Int8Array(WIDTH * channels);
  for (let p = 0; p < WIDTH; p++) x.fill(p - 128, p * channels, (p + 1) * channels);
  // acc = bias + (x - zpIn) * 1, so bias = start + 128 + zpIn - 128 ... with x = p - 128: acc = bias + p - 128 - zpIn
  const bias = Int32Array.from(start, (s) => s + 128 + L.zpIn);
  for (const kh of [1, 3]) {
    const mark = heap.mark();
    const pad = kh >> 1;
    const g = convGeometry([1, 1, WIDTH, channels], kh, kh, channels, {
      strideH: 1, strideW: 1, dilationH: 1, dilationW: 1, padTop: pad, padBottom: pad, padLeft: pad, padRight: pad,
    });
    const w = new Int8Array(kh * kh * channels);
    w.fill(1, ((kh * kh) >> 1) * channels, ((kh * kh) >> 1) * channels + channels); // the centre tap
    const desc = writeDepthwiseDescriptor(heap, g, { zpIn: L.zpIn, zpOut: L.zp, qmin: L.qmin, qmax: L.qmax });
    const packed = packDepthwiseInt8(k, heap, { weights: w, bias, channels, kH: kh, kW: kh, zpIn: L.zpIn });
    const params = packFixedPointParams(k, heap, L.m0, L.shift);
    const input = heap.put(x);
    const output = heap.alloc(WIDTH * channels);
    k.dwconvInt8(desc, input, output, packed, params, depthwiseScratch(k, heap, g, 1));
    const got = heap.i8(output, WIDTH * channels);
    for (let p = 0; p < WIDTH; p++) for (let c = 0; c < channels; c++) {
      const acc = start[c] + p;
      const want = requantRef(acc, L.m0[c], L.shift[c], L.zp, L.qmin, L.qmax);
      if (got[p * channels + c] !== want) {
        assert.unreachable(`${label} ${kh}x${kh}: channel ${c} acc ${acc} (M0 ${L.m0[c]}, shift ${L.shift[c]}, zp ${L.zp} [${L.qmin},${L.qmax}]) = ${got[p * channels + c]}, want ${want}`);
      }
    }
    heap.release(mark);
  }
}

test('layers without a fused ReLU take the signed f64 path, exact at every output step, around 0 and at the int32 edges', () => {
  for (let seed = 1; seed <= 40; seed++) {
    const rng = prng(9100 + seed);
    const channels = rng.int(1, 40);
    const { m0, shift } = randomF64Multipliers(rng, channels);
    const zp = rng.pick([127, 0, 5, rng.int(-127, 127)]);
    const qmin = rng.pick([-128, rng.int(-128, zp - 1)]);
    const qmax = rng.pick([127, rng.int(qmin, 127)]);
    const L: Layer = { m0, shift, zp, qmin, qmax, zpIn: rng.pick([-128, 0, 127, rng.int(-128, 127)]) };
    const mark = heap.mark();
    assert.is(k.requantModeSigned(packFixedPointParams(k, heap, m0, shift), channels, zp, qmin, qmax), SIGNED_MODE, `seed ${seed}: mode`);
    heap.release(mark);
    sweep(`seed ${seed} around 0`, L, Array.from({ length: channels }, () => -128));
    sweep(`seed ${seed} int32 edges`, L, Array.from({ length: channels }, () => rng.pick([-(2 ** 31) + 300, 2 ** 31 - 700])));
    for (let i = 0; i < 6; i++) {
      const start = Array.from({ length: channels }, (_, c) => {
        const t = firstAccReaching(rng.int(qmin + 1, Math.max(qmin + 1, qmax)), m0[c], shift[c], zp, qmin, qmax);
        return Math.min(2 ** 31 - 700, Math.max(-(2 ** 31) + 300, t - rng.int(1, 254)));
      });
      sweep(`seed ${seed} threshold ${i}`, L, start);
    }
  }
});

test('fused-ReLU layers (qmin >= zp) take the f64 path (constants hoisted over the row in the 3x3 kernel), exact at every output step', () => {
  for (let seed = 1; seed <= 30; seed++) {
    const rng = prng(9300 + seed);
    const channels = rng.pick([16, 32, 48, rng.int(1, 50)]);
    const m0 = new Int32Array(channels), shift = new Int32Array(channels);
    for (let c = 0; c < channels; c++) {
      m0[c] = rng.pick([0, 1 << 30, 2147483647, 1073741824 + rng.int(0, 1073741823)]);
      shift[c] = rng.pick([-1, -7, -12, rng.int(-12, -1)]); // e <= 12: inside the path's range for a full clamp
    }
    // seeds 1-8: MobileNet's ReLU6 quantization (zp = qmin = -128, qmax = 127: the clamp-free packing)
    const relu6 = seed <= 8;
    const zp = relu6 ? -128 : rng.pick([-128, 0, rng.int(-128, 120)]);
    const qmin = relu6 ? -128 : rng.pick([zp, rng.int(zp, 127)]);
    const qmax = relu6 ? 127 : rng.pick([127, rng.int(qmin, 127)]);
    const L: Layer = { m0, shift, zp, qmin, qmax, zpIn: rng.pick([-128, 0, 127, rng.int(-128, 127)]) };
    const mark = heap.mark();
    assert.is(k.requantModeSigned(packFixedPointParams(k, heap, m0, shift), channels, zp, qmin, qmax), F64_MODE, `seed ${seed}: mode`);
    heap.release(mark);
    sweep(`seed ${seed} around 0`, L, Array.from({ length: channels }, () => -128));
    for (let i = 0; i < 4; i++) {
      const start = Array.from({ length: channels }, (_, c) => {
        const t = firstAccReaching(rng.int(qmin + 1, Math.max(qmin + 1, qmax)), m0[c], shift[c], zp, qmin, qmax);
        return Math.min(2 ** 31 - 700, Math.max(-(2 ** 31) + 300, t - rng.int(1, 254)));
      });
      sweep(`seed ${seed} threshold ${i}`, L, start);
    }
  }
});

/**
 * int8.ts's bias fold for REQUANT_F64 3x3 slides (f64HWithBias2): a call folds the effective biases B into the
 * f64 rounding constant when every channel has |fl(B r)| <= 2^21 h (|B M0| up to about 2^51), else adds them in
 * int32. The same predicate in doubles, to check that the sweeps below land on both sides.
 */
function foldable(m0: Int32Array, shift: Int32Array, biases: number[]): boolean {
  return biases.every((b, c) => {
    const e = -shift[c];
    if (m0[c] === 0 || e <= 0) return true;
    const r = m0[c] * 2 ** -(31 + e), h = 2 ** -(1 + e) + 2 ** -(32 + e);
    return Math.abs(b * r) <= h * 2 ** 21;
  });
}

/**
 * Sweeps near the fold bound: e 14-16 with a narrow clamp, so the thresholds' biases (about k 2^(31+e) / M0 for the
 * output k steps from zp) reach 2^51 / M0 inside the f64 bounds (k 2^(31+e) < 2^52). Even seeds: every channel
 * below the fold bound; odd seeds: channel 0 above it. `signed`: qmin < zp (REQUANT_F64_SIGNED), levels on both
 * sides of zp. Returns [calls folded, calls not].
 */
function foldBoundSweeps(signed: boolean, seeds: number): [number, number] {
  let folded = 0, refused = 0;
  for (let seed = 1; seed <= seeds; seed++) {
    const rng = prng((signed ? 9500 : 9400) + seed);
    const channels = rng.pick([3, 8, 16, 20, 33]);
    const e = rng.pick([14, 15, 16]);
    const limit = 2 ** (20 - e); // output steps from zp where |bias M0| passes 2^51
    const y = rng.int(Math.ceil(limit * 1.3), 2 ** (21 - e) - 2); // steps from zp to the farther clamp bound
    const zp = signed ? rng.int(-128 + y, 127 - y) : rng.pick([-128, 127 - y, rng.int(-128, 127 - y)]);
    const qmin = signed ? zp - y : zp, qmax = signed ? zp + rng.int(1, y) : zp + y;
    const m0 = Int32Array.from({ length: channels }, () => rng.pick([1 << 30, 2147483647, 1073741824 + rng.int(0, 1073741823)]));
    const shift = new Int32Array(channels).fill(-e);
    const L: Layer = { m0, shift, zp, qmin, qmax, zpIn: rng.pick([-128, 0, 127, rng.int(-128, 127)]) };
    const mark = heap.mark();
    assert.is(k.requantModeSigned(packFixedPointParams(k, heap, m0, shift), channels, zp, qmin, qmax), signed ? SIGNED_MODE : F64_MODE, `seed ${seed}: mode`);
    heap.release(mark);
    for (let i = 0; i < 3; i++) {
      const start = Array.from({ length: channels }, (_, c) => {
        const steps = seed % 2 === 0 || c > 0 ? rng.int(1, Math.floor(limit * 0.9)) : rng.int(Math.ceil(limit * 1.2), y);
        const level = signed && rng.float() < 0.5 ? Math.max(qmin + 1, zp - steps + 1) : Math.min(qmax, zp + steps);
        return firstAccReaching(level, m0[c], shift[c], zp, qmin, qmax) - rng.int(1, 254);
      });
      // the packed effective bias: start + 128 + zpIn - zpIn * 1 (sweep's bias, the centre tap's weight 1)
      if (foldable(m0, shift, start.map((x) => x + 128))) folded++; else refused++;
      sweep(`seed ${seed} row ${i}`, L, start);
    }
  }
  return [folded, refused];
}

test('3x3 ReLU layers: biases folded into the f64 rounding constant up to |bias M0| ~ 2^51, added in int32 beyond, exact at every output step on both sides', () => {
  const [folded, refused] = foldBoundSweeps(false, 24);
  assert.ok(folded >= 20 && refused >= 20, `folded ${folded}, refused ${refused}: both sides of the bound`);
});

test('3x3 layers without a fused ReLU: folded biases, sign test against -bias r, exact across acc = 0 and at every step near the fold bound', () => {
  const [folded, refused] = foldBoundSweeps(true, 24);
  assert.ok(folded >= 20 && refused >= 20, `folded ${folded}, refused ${refused}: both sides of the bound`);
  // across acc = 0 with nonzero biases (sign thresholds -bias r != 0), small e: many output steps per window
  for (let seed = 1; seed <= 20; seed++) {
    const rng = prng(9600 + seed);
    const channels = rng.int(1, 40);
    const m0 = Int32Array.from({ length: channels }, () => rng.pick([0, 1 << 30, 2147483647, 1073741824 + rng.int(0, 1073741823)]));
    const shift = Int32Array.from({ length: channels }, () => -rng.int(1, 10));
    const zp = rng.int(-100, 100);
    const L: Layer = { m0, shift, zp, qmin: rng.pick([-128, zp - rng.int(1, 20)]), qmax: rng.pick([127, zp + rng.int(0, 20)]), zpIn: rng.pick([-128, 0, 127]) };
    const mark = heap.mark();
    assert.is(k.requantModeSigned(packFixedPointParams(k, heap, m0, shift), channels, L.zp, L.qmin, L.qmax), SIGNED_MODE, `seed ${seed}: mode`);
    heap.release(mark);
    sweep(`seed ${seed} across 0`, L, Array.from({ length: channels }, () => -rng.int(1, 254)));
  }
});

test('the largest products the signed f64 path accepts (255 steps below the zero point, e = 13) stay exact', () => {
  const rng = prng(9200);
  const channels = 8;
  const m0 = Int32Array.from({ length: channels }, (_, c) => (c < 2 ? 2147483647 : 1073741824 + rng.int(0, 1073741823)));
  const shift = new Int32Array(channels).fill(-13);
  const L: Layer = { m0, shift, zp: 127, qmin: -128, qmax: 127, zpIn: 0 };
  const mark = heap.mark();
  assert.is(k.requantModeSigned(packFixedPointParams(k, heap, m0, shift), channels, 127, -128, 127), SIGNED_MODE);
  heap.release(mark);
  for (const level of [-127, -100, -1, 0, 1, 126, 127]) {
    sweep(`level ${level}`, L, Array.from({ length: channels }, (_, c) => firstAccReaching(level, m0[c], shift[c], 127, -128, 127) - 128));
  }
});

test('requantModeSigned keeps the 64-bit paths where the signed f64 one would not be exact, and agrees with requantMode elsewhere', () => {
  const mark = heap.mark();
  const m0 = Int32Array.of(1 << 30, 2147483647);
  const p = packFixedPointParams(k, heap, m0, Int32Array.of(-5, -3));
  assert.is(k.requantModeSigned(p, 2, 0, -128, 127), SIGNED_MODE);
  assert.is(k.requantModeSigned(p, 2, 0, 0, 127), k.requantMode(p, 2, 0, 0, 127), 'qmin >= zp: requantMode decides');
  const big = packFixedPointParams(k, heap, m0, Int32Array.of(-5, -25));
  assert.is(k.requantModeSigned(big, 2, 0, -128, 127), 1, 'e = 25: products past 2^52');
  // 255 output steps below the zero point: e = 13 still fits 2^52, e = 14 does not
  const e13 = packFixedPointParams(k, heap, Int32Array.of(2147483647), Int32Array.of(-13));
  assert.is(k.requantModeSigned(e13, 1, 127, -128, 127), SIGNED_MODE, 'y = 255, e = 13');
  const e14 = packFixedPointParams(k, heap, Int32Array.of(2147483647), Int32Array.of(-14));
  assert.is(k.requantModeSigned(e14, 1, 127, -128, 127), 1, 'y = 255, e = 14');
  const left = packFixedPointParams(k, heap, m0, Int32Array.of(-5, 0));
  assert.is(k.requantModeSigned(left, 2, 0, -128, 127), 0, 'a shift of 0');
  heap.release(mark);
});

test.run();
