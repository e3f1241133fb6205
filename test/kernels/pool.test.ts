import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { instantiateKernels } from '../../src/runtime/wasm.js';
import { WasmHeap } from '../../src/runtime/heap.js';
import type { KernelExports } from '../../src/runtime/kernel-abi.js';
import { poolDescriptor, poolGeometry, meanParams, meanDescriptor, type PoolGeometry } from '../../src/runtime/kernels/pool.js';
import { KernelParamsError } from '../../src/runtime/kernels/params-error.js';
import { poolRef, meanRef } from '../ref/pool.js';
import { prng, randomInt8, type Rng } from '../ref/prng.js';

const kernels = await instantiateKernels();
const k = kernels.exports as KernelExports;
const heap = new WasmHeap(kernels);

function sameBytes(got: Int8Array, want: Int8Array, what: string): void {
  for (let i = 0; i < want.length; i++) {
    if (got[i] !== want[i]) assert.unreachable(`${what}: element ${i} is ${got[i]}, want ${want[i]}`);
  }
}

function clampBounds(rng: Rng): [number, number] {
  if (rng.float() < 0.5) return [-128, 127];
  const a = rng.int(-128, 127), b = rng.int(-128, 127);
  return [Math.min(a, b), Math.max(a, b)];
}

/** A random valid geometry (draws again when a window would hold no input cell). */
function randomGeometry(rng: Rng): PoolGeometry {
  for (;;) {
    try {
      return drawGeometry(rng);
    } catch (e) {
      if (!(e instanceof KernelParamsError)) throw e;
    }
  }
}

function drawGeometry(rng: Rng): PoolGeometry {
  const filterH = rng.int(1, 4), filterW = rng.int(1, 4);
  return poolGeometry([rng.int(1, 2), rng.int(1, 9), rng.int(1, 9), rng.pick([1, 3, 15, 16, 17, 31, 32, 33, rng.int(1, 70)])], {
    filterH, filterW, strideH: rng.int(1, 3), strideW: rng.int(1, 3),
    padTop: rng.int(0, filterH - 1), padBottom: rng.int(0, filterH - 1), padLeft: rng.int(0, filterW - 1), padRight: rng.int(0, filterW - 1),
    activation: 'none',
  });
}

function runPool(kind: 'max' | 'avg', x: Int8Array, g: PoolGeometry, qmin: number, qmax: number): Int8Array {
  const mark = heap.mark();
  const inPtr = heap.put(x), geom = heap.put(poolDescriptor(g));
  const n = g.batch * g.outH * g.outW * g.channels;
  const outPtr = heap.alloc(n + 16);
  heap.i8(outPtr, n + 16).fill(0x55);
  (kind === 'max' ? k.maxPool2d : k.averagePool2d)(inPtr, outPtr, geom, qmin, qmax);
  const out = heap.i8(outPtr, n).slice();
  // Nothing written past the output.
  if (heap.i8(outPtr + n, 16).some((b) => b !== 0x55)) assert.unreachable(`${kind} pool wrote past its output`);
  heap.release(mark);
  return out;
}

for (const kind of ['max', 'avg'] as const) {
  test(`${kind} pool: random NHWC shapes, strides, asymmetric padding and clamps match the reference`, () => {
    for (let seed = 1; seed <= 1500; seed++) {
      const rng = prng(seed);
      const g = randomGeometry(rng);
      const x = randomInt8(rng, g.batch * g.inH * g.inW * g.channels);
      const [qmin, qmax] = clampBounds(rng);
      sameBytes(runPool(kind, x, g, qmin, qmax), poolRef(x, g, kind, qmin, qmax), `seed ${seed} ${JSON.stringify(g)} [${qmin},${qmax}]`);
    }
  });
}

test('avg pool rounds half away from zero: ties at both signs, saturated inputs', () => {
  // 2x2 windows of one channel: sums 2, -2 (ties at +-0.5), 6, -6 (ties at 1.5) and extremes.
  const g = poolGeometry([1, 2, 12, 1], { filterH: 2, filterW: 2, strideH: 2, strideW: 2, padTop: 0, padBottom: 0, padLeft: 0, padRight: 0, activation: 'none' });
  const x = Int8Array.from([1, 1, -1, -1, 3, 3, -3, -3, 127, 127, -128, -128, 0, 1, 0, -1, 1, 2, -1, -2, 127, 126, -128, -127]);
  const got = runPool('avg', x, g, -128, 127);
  assert.equal([...got], [1, -1, 2, -2, 127, -128]);
  sameBytes(got, poolRef(x, g, 'avg', -128, 127), 'ties');
});

test('large windows (more than 256 cells per row, more than 2^16 cells) sum and divide exactly', () => {
  for (const [h, w, c] of [[1, 300, 17], [2, 600, 3], [300, 230, 1]]) {
    const rng = prng(h * w);
    const g = poolGeometry([1, h, w, c], { filterH: h, filterW: w, strideH: 1, strideW: 1, padTop: 0, padBottom: 0, padLeft: 0, padRight: 0, activation: 'none' });
    for (const fill of ['random', 'max', 'min'] as const) {
      const x = fill === 'random' ? randomInt8(rng, h * w * c) : new Int8Array(h * w * c).fill(fill === 'max' ? 127 : -128);
      sameBytes(runPool('avg', x, g, -128, 127), poolRef(x, g, 'avg', -128, 127), `${h}x${w}x${c} ${fill}`);
      sameBytes(runPool('max', x, g, -128, 127), poolRef(x, g, 'max', -128, 127), `${h}x${w}x${c} ${fill}`);
    }
  }
});

test('pool geometry: windows that hold no input cell and bad fields are refused with a typed error', () => {
  const base = { filterH: 2, filterW: 2, strideH: 1, strideW: 1, padTop: 0, padBottom: 0, padLeft: 0, padRight: 0, activation: 'none' as const };
  assert.throws(() => poolGeometry([1, 4, 4, 8], { ...base, padTop: 2 }), (e: unknown) => e instanceof KernelParamsError && /windows hold no input/.test(e.message));
  assert.throws(() => poolGeometry([1, 4, 4, 8], { ...base, strideW: 0 }), (e: unknown) => e instanceof KernelParamsError && /strideW/.test(e.message));
  assert.throws(() => poolGeometry([1, 4, 4], base), (e: unknown) => e instanceof KernelParamsError);
  assert.throws(() => poolGeometry([1, 4, 4, 8], { ...base, padRight: 3 }), (e: unknown) => e instanceof KernelParamsError);
  assert.equal(poolGeometry([1, 7, 7, 8], { ...base, filterH: 3, filterW: 3, strideH: 2, strideW: 2, padTop: 0, padBottom: 1, padLeft: 1, padRight: 1 }).outH, 3);
});

function runMean(x: Int8Array, outer: number, reduce: number, inner: number, zpIn: number, m0: number, shift: number, zpOut: number, qmin: number, qmax: number): Int8Array {
  const mark = heap.mark();
  const inPtr = heap.put(x), n = outer * inner;
  const outPtr = heap.alloc(n + 16);
  heap.i8(outPtr, n + 16).fill(0x55);
  const desc = heap.put(meanDescriptor({ outer, reduce, inner, zpIn, multiplier: m0, shift, zpOut }, qmin, qmax));
  k.meanReduce(inPtr, outPtr, desc);
  const out = heap.i8(outPtr, n).slice();
  if (heap.i8(outPtr + n, 16).some((b) => b !== 0x55)) assert.unreachable('mean wrote past its output');
  heap.release(mark);
  return out;
}

test('Mean over H and W, and over other contiguous axes: random scales, zero points, shapes match the reference', () => {
  for (let seed = 1; seed <= 1500; seed++) {
    const rng = prng(seed);
    const shape = [rng.int(1, 2), rng.int(1, 8), rng.int(1, 8), rng.pick([1, 5, 16, 17, 32, 33, rng.int(1, 80)])];
    const axes = rng.pick([[1, 2], [1, 2], [2, 1], [-3, -2], [3], [1], [2], [1, 2, 3], [0, 1]]);
    const zpIn = rng.pick([-128, 0, 127, rng.int(-128, 127)]), zpOut = rng.pick([-128, 0, 127, rng.int(-128, 127)]);
    const sIn = 2 ** rng.int(-12, 2) * (0.5 + rng.float()), sOut = sIn * rng.pick([1, 0.01, 0.2, 3, 100, 2 ** rng.int(-8, 8) * (0.5 + rng.float())]);
    const p = meanParams(shape, axes, sIn, zpIn, sOut, zpOut);
    const x = randomInt8(rng, shape.reduce((a, b) => a * b, 1));
    const [qmin, qmax] = clampBounds(rng);
    const got = runMean(x, p.outer, p.reduce, p.inner, p.zpIn, p.multiplier, p.shift, p.zpOut, qmin, qmax);
    sameBytes(got, meanRef(x, p.outer, p.reduce, p.inner, zpIn, p.multiplier, p.shift, zpOut, qmin, qmax), `seed ${seed} shape [${shape}] axes [${axes}]`);
  }
});

test('Mean: multipliers near 2^31, left shifts that wrap, tiny multipliers, saturated inputs', () => {
  const rng = prng(99);
  for (let i = 0; i < 400; i++) {
    const outer = rng.int(1, 3), reduce = rng.pick([1, 2, 49, 256, 257, 600]), inner = rng.pick([1, 7, 16, 40]);
    const x = rng.float() < 0.3 ? new Int8Array(outer * reduce * inner).fill(rng.pick([-128, 127])) : randomInt8(rng, outer * reduce * inner);
    const m0 = rng.pick([2147483647, 1 << 30, 1073741824 + rng.int(0, 1073741823), 0]);
    const shift = rng.pick([-31, -20, -1, 0, 1, 8, 20, rng.int(-31, 30)]);
    const zpIn = rng.pick([-128, 0, 127]), zpOut = rng.pick([-128, 0, 127]);
    sameBytes(runMean(x, outer, reduce, inner, zpIn, m0, shift, zpOut, -128, 127), meanRef(x, outer, reduce, inner, zpIn, m0, shift, zpOut, -128, 127), `case ${i}`);
  }
});

test('Mean params: non-contiguous or out-of-range axes are refused', () => {
  assert.throws(() => meanParams([1, 4, 4, 8], [1, 3], 1, 0, 1, 0), (e: unknown) => e instanceof KernelParamsError && /contiguous/.test(e.message));
  assert.throws(() => meanParams([1, 4, 4, 8], [4], 1, 0, 1, 0), (e: unknown) => e instanceof KernelParamsError);
  assert.throws(() => meanParams([1, 4, 4, 8], [1, 2], 1, 200, 1, 0), (e: unknown) => e instanceof KernelParamsError);
  const p = meanParams([1, 7, 7, 1280], [1, 2], 0.02, -128, 0.01, -128);
  assert.equal([p.outer, p.reduce, p.inner], [1, 49, 1280]);
});

test.run();
