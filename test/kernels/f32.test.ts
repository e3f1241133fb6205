// f32 kernels against float64 references. Tolerance, per output: |got - exact| <= (terms + 2) * 2^-23 * sum|terms|,
// where terms = the products summed (K for GEMM, kH*kW*inC for conv, kH*kW for depthwise) plus the bias:
// twice the classic worst-case bound n * 2^-24 * sum|terms| of a float32 sum of n rounded products, plus the
// final rounding. Whole outputs are compared, including the lanes of channel and row remainders, and bytes
// around the output are checked untouched.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { instantiateKernels } from '../../src/runtime/wasm.js';
import { WasmHeap } from '../../src/runtime/heap.js';
import type { KernelExports } from '../../src/runtime/kernel-abi.js';
import { convGeometry, writeConvDescriptor, writeDepthwiseDescriptor, depthwiseScratch, type ConvGeometry } from '../../src/runtime/kernels/dwconv.js';
import { packF32Gemm, packF32Conv, packF32Depthwise, f32ConvScratch } from '../../src/runtime/kernels/f32.js';
import { KernelParamsError } from '../../src/runtime/kernels/params-error.js';
import { gemmF32Ref, convF32Ref, depthwiseF32Ref, type F32Ref } from '../ref/f32.js';
import { prng, randomFloat32, type Rng } from '../ref/prng.js';

const kernels = await instantiateKernels();
const k = kernels.exports as KernelExports;
const heap = new WasmHeap(kernels);
const SENTINEL = 12345.5;

/** Output buffer with sentinels around and between rows; returns its pointer. */
function sentinelBuffer(length: number): number {
  const p = heap.alloc((length + 8) * 4);
  heap.f32(p, length + 8).fill(SENTINEL);
  return p + 16;
}

function compare(label: string, got: Float32Array, want: F32Ref, terms: number, skip?: (i: number) => boolean): void {
  const bound = (terms + 2) * 2 ** -23;
  for (let i = 0; i < want.out.length; i++) {
    if (skip?.(i)) continue;
    const err = Math.abs(got[i] - want.out[i]);
    if (!(err <= bound * want.magnitude[i] + 1e-30)) {
      assert.unreachable(`${label}: output ${i} = ${got[i]}, want ${want.out[i]} (error ${err}, bound ${bound * want.magnitude[i]})`);
    }
  }
}

function checkGuards(label: string, out: number, length: number): void {
  const before = heap.f32(out - 16, 4), after = heap.f32(out + length * 4, 4);
  for (const v of [...before, ...after]) if (v !== SENTINEL) assert.unreachable(`${label}: wrote outside the output`);
}

function randomClamp(rng: Rng): [number, number] {
  if (rng.float() < 0.5) return [-Infinity, Infinity];
  if (rng.float() < 0.5) return [0, rng.pick([Infinity, 6])];
  const a = rng.normal() * 2, b = rng.normal() * 2;
  return [Math.fround(Math.min(a, b)), Math.fround(Math.max(a, b))];
}

test('GEMM: every tile remainder of M, N and K, strided rows, random clamps', () => {
  for (let seed = 1; seed <= 600; seed++) {
    const rng = prng(seed);
    const m = rng.int(1, 23), n = rng.int(1, 37), kd = rng.pick([1, 2, 3, 7, 16, 27, rng.int(1, 90)]);
    const lda = kd + (rng.float() < 0.3 ? rng.int(1, 5) : 0), ldc = n + (rng.float() < 0.3 ? rng.int(1, 5) : 0);
    const a = randomFloat32(rng, m * lda), w = randomFloat32(rng, n * kd, 0.5);
    const bias = rng.float() < 0.8 ? randomFloat32(rng, n) : undefined;
    const [min, max] = randomClamp(rng);
    const mark = heap.mark();
    const packed = packF32Gemm(k, heap, w, bias, n, kd);
    const c = sentinelBuffer(m * ldc);
    k.f32Gemm(heap.put(a), lda, packed, c, ldc, m, n, kd, min, max);
    const full = heap.f32(c, m * ldc);
    const got = new Float32Array(m * n);
    for (let i = 0; i < m; i++) {
      got.set(full.subarray(i * ldc, i * ldc + n), i * n);
      for (let j = n; j < ldc; j++) if (full[i * ldc + j] !== SENTINEL) assert.unreachable(`seed ${seed}: wrote C[${i}][${j}] past n`);
    }
    compare(`seed ${seed} gemm ${m}x${n}x${kd}`, got, gemmF32Ref(a, lda, w, bias, m, n, kd, min, max), kd + 1);
    checkGuards(`seed ${seed}`, c, m * ldc);
    heap.release(mark);
  }
});

/** A random geometry in the same space as the int8 depthwise tests. */
function randomGeometry(rng: Rng, inC: number, outC: (inC: number) => number, force: Partial<{ kH: number; kW: number; stride: number; pad: number }> = {}): ConvGeometry {
  const kH = force.kH ?? rng.pick([1, 1, 2, 3, 3, 5, 7]);
  const kW = force.kW ?? (rng.float() < 0.7 ? kH : rng.int(1, 6));
  const strideH = force.stride ?? rng.int(1, 3), strideW = force.stride ?? (rng.float() < 0.8 ? strideH : rng.int(1, 3));
  const dilationH = force.stride !== undefined || rng.float() < 0.8 ? 1 : rng.int(2, 3);
  const dilationW = force.stride !== undefined || rng.float() < 0.8 ? dilationH : rng.int(1, 3);
  const pad = () => force.pad ?? rng.pick([0, 0, 1, Math.floor(kH / 2), rng.int(0, kH)]);
  const o = { strideH, strideW, dilationH, dilationW, padTop: pad(), padBottom: pad(), padLeft: pad(), padRight: pad() };
  const wide = rng.float() < 0.2;
  const inH = Math.max(1, dilationH * (kH - 1) + 1 - o.padTop - o.padBottom, rng.int(1, wide ? 20 : 11));
  const inW = Math.max(1, dilationW * (kW - 1) + 1 - o.padLeft - o.padRight, rng.int(1, wide ? 30 : 11));
  return convGeometry([rng.pick([1, 1, 2, 3]), inH, inW, inC], kH, kW, outC(inC), o);
}

function runConv(label: string, rng: Rng, g: ConvGeometry): void {
  const x = randomFloat32(rng, g.batch * g.inH * g.inW * g.inC);
  const w = randomFloat32(rng, g.outC * g.kH * g.kW * g.inC, 0.5);
  const bias = rng.float() < 0.8 ? randomFloat32(rng, g.outC) : undefined;
  const [min, max] = randomClamp(rng);
  const mark = heap.mark();
  const desc = writeConvDescriptor(heap, g);
  const packed = packF32Conv(k, heap, w, bias, g);
  const size = g.batch * g.outH * g.outW * g.outC;
  const out = sentinelBuffer(size);
  k.f32Conv(desc, heap.put(x), out, packed, f32ConvScratch(k, heap, desc), min, max);
  compare(`${label} conv ${JSON.stringify(g)}`, heap.f32(out, size), convF32Ref(g, x, w, bias, min, max), g.kH * g.kW * g.inC + 1);
  checkGuards(label, out, size);
  heap.release(mark);
}

test('conv2d: random kernels, strides, dilations, asymmetric padding, batch; 1x1 straight and strided', () => {
  for (let seed = 1; seed <= 500; seed++) {
    const rng = prng(seed);
    runConv(`seed ${seed}`, rng, randomGeometry(rng, rng.pick([1, 3, 4, 8, 13, rng.int(1, 24)]), () => rng.int(1, 40)));
  }
  for (let seed = 600; seed < 700; seed++) {
    const rng = prng(seed);
    runConv(`seed ${seed}`, rng, randomGeometry(rng, rng.int(1, 40), () => rng.int(1, 40), { kH: 1, kW: 1, pad: 0, stride: rng.int(1, 2) }));
  }
});

test('conv2d: a MobileNet first-layer slice (3x3 stride 2, 3 -> 32, pad 0/1)', () => {
  const rng = prng(77);
  const g = convGeometry([1, 29, 31, 3], 3, 3, 32, { strideH: 2, strideW: 2, dilationH: 1, dilationW: 1, padTop: 0, padLeft: 0, padBottom: 1, padRight: 1 });
  runConv('first conv', rng, g);
});

test('depthwise: random geometry, channel remainders, depth multipliers 1-3 (and up to 17)', () => {
  for (let seed = 1; seed <= 1200; seed++) {
    const rng = prng(seed);
    // Multipliers > 1 run on the input with its channels repeated (dwconv/multiplier.ts): blocks of 16 bytes are
    // 4 floats, so multipliers 2-17 cross them in every phase.
    const mult = rng.float() < 0.75 ? 1 : seed % 10 === 0 ? rng.int(4, 17) : rng.int(2, 3);
    const force = seed <= 200 ? { kH: rng.pick([3, 5]), stride: rng.int(1, 2) } : {};
    const g = randomGeometry(rng, rng.pick([1, 3, 4, 15, 16, 17, 32, 33, 40, rng.int(1, 70)]), (c) => c * mult, force);
    const x = randomFloat32(rng, g.batch * g.inH * g.inW * g.inC);
    const w = randomFloat32(rng, g.kH * g.kW * g.outC, 0.5);
    const bias = rng.float() < 0.8 ? randomFloat32(rng, g.outC) : undefined;
    const [min, max] = randomClamp(rng);
    const mark = heap.mark();
    const desc = writeDepthwiseDescriptor(heap, g);
    const packed = packF32Depthwise(k, heap, { weights: w, bias, channels: g.outC, kH: g.kH, kW: g.kW });
    const size = g.batch * g.outH * g.outW * g.outC;
    const out = sentinelBuffer(size);
    k.f32Dwconv(desc, heap.put(x), out, packed, depthwiseScratch(k, heap, g, 4), min, max);
    compare(`seed ${seed} depthwise ${JSON.stringify(g)}`, heap.f32(out, size), depthwiseF32Ref(g, x, w, bias, min, max), g.kH * g.kW + 1);
    checkGuards(`seed ${seed}`, out, size);
    heap.release(mark);
  }
});

test('packing helpers reject mismatched shapes with KernelParamsError', () => {
  const is = (e: unknown) => e instanceof KernelParamsError;
  assert.throws(() => packF32Gemm(k, heap, new Float32Array(10), undefined, 3, 4), is);
  assert.throws(() => packF32Gemm(k, heap, new Float32Array(12), new Float32Array(2), 3, 4), is);
  assert.throws(() => packF32Depthwise(k, heap, { weights: new Float32Array(8), channels: 1, kH: 3, kW: 3 }), is);
});

test.run();
