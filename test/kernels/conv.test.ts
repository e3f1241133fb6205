import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { instantiateKernels } from '../../src/runtime/wasm.js';
import { WasmHeap } from '../../src/runtime/heap.js';
import type { KernelExports } from '../../src/runtime/kernel-abi.js';
import { packFixedPointParams } from '../../src/runtime/requant-params.js';
import { prepareConv, convOutputSize, validateConvSpec, type ConvSpec } from '../../src/runtime/kernels/conv.js';
import { WasmqError } from '../../src/runtime/errors.js';
import { convRef } from '../ref/conv.js';
import { randomOutputQuant, randomZeroPoint, randomWeightZeroPoint } from '../ref/gemm.js';
import { prng, randomInt8, randomInt32, type Rng } from '../ref/prng.js';

const kernels = await instantiateKernels();
const k = kernels.exports as KernelExports;
const heap = new WasmHeap(kernels);

function randomSpec(rng: Rng, over: Partial<ConvSpec> = {}): ConvSpec {
  for (;;) {
    const kH = rng.pick([1, 1, 2, 3, 3, 5, 7, rng.int(1, 7)]);
    const kW = rng.int(0, 3) === 0 ? rng.int(1, 7) : kH;
    const s: ConvSpec = {
      batch: rng.pick([1, 1, 1, 2, 3]), inH: rng.int(1, 12), inW: rng.int(1, 12),
      cin: rng.pick([1, 2, 3, 4, 7, 8, 9, 16, 17, rng.int(1, 40)]), cout: rng.pick([1, 3, 7, 8, 9, 16, 17, rng.int(1, 40)]),
      kH, kW, strideH: rng.int(1, 3), strideW: rng.int(1, 3), dilH: rng.pick([1, 1, 2, 3]), dilW: rng.pick([1, 1, 2, 3]),
      padTop: rng.int(0, 3), padLeft: rng.int(0, 3), padBottom: rng.int(0, 3), padRight: rng.int(0, 3),
      zpIn: randomZeroPoint(rng), zpW: randomWeightZeroPoint(rng), zpOut: 0, qmin: -128, qmax: 127,
      ...over,
    };
    if (convOutputSize(s.inH, s.kH, s.strideH, s.dilH, s.padTop, s.padBottom) >= 1
      && convOutputSize(s.inW, s.kW, s.strideW, s.dilW, s.padLeft, s.padRight) >= 1) return s;
  }
}

function runCase(seed: number, rng: Rng, s: ConvSpec): void {
  const mark = heap.mark();
  const taps = s.kH * s.kW;
  const q = randomOutputQuant(rng, s.cout, taps * s.cin);
  s.zpOut = q.zpOut; s.qmin = q.qmin; s.qmax = q.qmax;
  const [outH, outW] = validateConvSpec(s);
  const input = randomInt8(rng, s.batch * s.inH * s.inW * s.cin);
  const weights = s.zpW === 0 ? randomInt8(rng, s.cout * taps * s.cin, -127, 127) : randomInt8(rng, s.cout * taps * s.cin);
  const bias = rng.int(0, 4) === 0 ? null : randomInt32(rng, s.cout, -100000, 100000);
  const want = convRef({ ...s, outH, outW }, input, weights, bias, q);
  const label = `seed ${seed}: ${JSON.stringify(s)}`;

  const params = packFixedPointParams(k, heap, q.multipliers, q.shifts);
  const inPtr = heap.put(input);
  const p = prepareConv(k, heap, s, weights, bias, rng.int(0, 1) ? inPtr : undefined);
  const outLen = want.length;
  const out = heap.alloc(outLen + 16);
  heap.u8(out, outLen + 16).fill(0x5a);
  k.conv(p.desc, inPtr, p.workspace, p.packed, out, params);
  const got = heap.i8(out, outLen + 16);
  for (let i = 0; i < outLen; i++) if (got[i] !== want[i]) assert.unreachable(`conv ${label}: output[${i}] = ${got[i]}, want ${want[i]}`);
  for (let i = outLen; i < outLen + 16; i++) if (got[i] !== 0x5a) assert.unreachable(`conv ${label}: wrote past the output at ${i}`);

  heap.u8(out, outLen).fill(0x5a);
  k.convScalar(p.desc, inPtr, heap.put(weights), bias ? heap.put(bias) : 0, out, params);
  const scalar = heap.i8(out, outLen);
  for (let i = 0; i < outLen; i++) if (scalar[i] !== want[i]) assert.unreachable(`convScalar ${label}: output[${i}] = ${scalar[i]}, want ${want[i]}`);
  heap.release(mark);
}

test('conv matches the reference on 1200 random shapes: kernels 1..7, strides 1..3, dilations 1..3, asymmetric padding, batch > 1', () => {
  for (let seed = 1; seed <= 1200; seed++) {
    const rng = prng(seed);
    runCase(seed, rng, randomSpec(rng));
  }
});

test('pointwise convs (1x1, stride 1, unpadded) run on the input directly and match', () => {
  for (let seed = 2000; seed < 2200; seed++) {
    const rng = prng(seed);
    const s = randomSpec(rng, { kH: 1, kW: 1, strideH: 1, strideW: 1, padTop: 0, padLeft: 0, padBottom: 0, padRight: 0 });
    const mark = heap.mark();
    const desc = heap.put(Int32Array.from([s.batch, s.inH, s.inW, s.cin, s.inH, s.inW, s.cout, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0]));
    assert.is(k.convIsPointwise(desc), 1);
    heap.release(mark);
    runCase(seed, rng, s);
  }
});

test('the first-layer shape (3 input channels, 3x3 stride 2, padding only bottom/right) matches', () => {
  for (let seed = 3000; seed < 3006; seed++) {
    const rng = prng(seed);
    runCase(seed, rng, randomSpec(rng, { inH: 17, inW: 15, cin: 3, cout: 32, kH: 3, kW: 3, strideH: 2, strideW: 2, dilH: 1, dilW: 1, padTop: 0, padLeft: 0, padBottom: 1, padRight: 1 }));
  }
});

test('conv rebuilds its indirection table when called with another input pointer', () => {
  const rng = prng(4000);
  const s = randomSpec(rng, { kH: 3, kW: 3, strideH: 1, strideW: 1, padTop: 1, padLeft: 1, padBottom: 1, padRight: 1, zpW: 0 });
  s.zpOut = 0; s.qmin = -128; s.qmax = 127;
  const [outH, outW] = validateConvSpec(s);
  const q = randomOutputQuant(rng, s.cout, 9 * s.cin);
  q.zpOut = 0; q.qmin = -128; q.qmax = 127;
  const weights = randomInt8(rng, s.cout * 9 * s.cin, -127, 127);
  const mark = heap.mark();
  const params = packFixedPointParams(k, heap, q.multipliers, q.shifts);
  const first = randomInt8(rng, s.batch * s.inH * s.inW * s.cin), second = randomInt8(rng, first.length);
  const p1 = heap.put(first), p2 = heap.put(second);
  const p = prepareConv(k, heap, s, weights, null, p1);
  const n = s.batch * outH * outW * s.cout;
  const out = heap.alloc(n);
  for (const [ptr, data] of [[p1, first], [p2, second], [p1, first]] as const) {
    k.conv(p.desc, ptr, p.workspace, p.packed, out, params);
    assert.equal([...heap.i8(out, n)], [...convRef({ ...s, outH, outW }, data, weights, null, q)]);
  }
  heap.release(mark);
});

test('bad conv specs are refused with a typed error naming the field', () => {
  const rng = prng(5000);
  const good = randomSpec(rng);
  for (const [field, value] of [['cin', 0], ['strideH', 0], ['dilW', -1], ['zpIn', 128], ['padTop', -1], ['kH', 1.5]] as const) {
    try { validateConvSpec({ ...good, [field]: value }); assert.unreachable(`accepted ${field} = ${value}`); } catch (e) {
      assert.instance(e, WasmqError);
      assert.match((e as Error).message, field);
    }
  }
  try { validateConvSpec({ ...good, inH: 2, kH: 7, padTop: 0, padBottom: 0, dilH: 1 }); assert.unreachable('accepted a kernel larger than the input'); } catch (e) {
    assert.is((e as WasmqError).code, 'BAD_CONV_ARGS');
  }
});

test.run();
