import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { instantiateKernels } from '../../src/runtime/wasm.js';
import { WasmHeap } from '../../src/runtime/heap.js';
import type { KernelExports } from '../../src/runtime/kernel-abi.js';
import { packFixedPointParams } from '../../src/runtime/requant-params.js';
import { prepareConv, convInt8Descriptor } from '../../src/runtime/kernels/conv.js';
import { convGeometry, type ConvGeometry, type ConvGeometryOptions } from '../../src/runtime/kernels/dwconv.js';
import { WasmqError } from '../../src/runtime/errors.js';
import { convRef } from '../ref/conv.js';
import { randomOutputQuant, randomZeroPoint, randomWeightZeroPoint, type OutputQuant } from '../ref/gemm.js';
import { prng, randomInt8, randomInt32, type Rng } from '../ref/prng.js';

const kernels = await instantiateKernels();
const k = kernels.exports as KernelExports;
const heap = new WasmHeap(kernels);
const modesSeen = new Set<number | string>();

interface Shape { inputShape: number[]; kH: number; kW: number; outC: number; o: ConvGeometryOptions }

function randomShape(rng: Rng, over: Partial<Shape & ConvGeometryOptions> = {}): Shape {
  for (;;) {
    const kH = over.kH ?? rng.pick([1, 1, 2, 3, 3, 5, 7, rng.int(1, 7)]);
    const kW = over.kW ?? (rng.int(0, 3) === 0 ? rng.int(1, 7) : kH);
    const inputShape = over.inputShape ?? [rng.pick([1, 1, 1, 2, 3]), rng.int(1, 12), rng.int(1, 12), rng.pick([1, 2, 3, 4, 7, 8, 9, 16, 17, rng.int(1, 40)])];
    const o: ConvGeometryOptions = {
      strideH: rng.int(1, 3), strideW: rng.int(1, 3), dilationH: rng.pick([1, 1, 2, 3]), dilationW: rng.pick([1, 1, 2, 3]),
      padTop: rng.int(0, 3), padLeft: rng.int(0, 3), padBottom: rng.int(0, 3), padRight: rng.int(0, 3),
    };
    for (const key of Object.keys(o) as (keyof ConvGeometryOptions)[]) if (over[key] !== undefined) o[key] = over[key]!;
    const outC = over.outC ?? rng.pick([1, 3, 7, 8, 9, 16, 17, rng.int(1, 40)]);
    const [, inH, inW] = inputShape;
    if ((inH + o.padTop + o.padBottom - o.dilationH * (kH - 1) - 1) >= 0 && (inW + o.padLeft + o.padRight - o.dilationW * (kW - 1) - 1) >= 0) {
      return { inputShape, kH, kW, outC, o };
    }
  }
}

/** tweak: adjusts the random output quantization (e.g. to reach a requantization mode). */
function runCase(seed: number, rng: Rng, s: Shape, tweak?: (oq: OutputQuant, kk: number) => void): void {
  const g = convGeometry(s.inputShape, s.kH, s.kW, s.outC, s.o);
  const taps = g.kH * g.kW;
  const zpIn = randomZeroPoint(rng), zpW = randomWeightZeroPoint(rng);
  const oq = randomOutputQuant(rng, g.outC, taps * g.inC);
  tweak?.(oq, taps * g.inC);
  const q = { zpIn, zpOut: oq.zpOut, qmin: oq.qmin, qmax: oq.qmax };
  const input = randomInt8(rng, g.batch * g.inH * g.inW * g.inC);
  const weights = zpW === 0 ? randomInt8(rng, g.outC * taps * g.inC, -127, 127) : randomInt8(rng, g.outC * taps * g.inC);
  const bias = rng.int(0, 4) === 0 ? null : randomInt32(rng, g.outC, -100000, 100000);
  const want = convRef({ ...g, cin: g.inC, cout: g.outC, dilH: g.dilationH, dilW: g.dilationW, zpIn, zpW }, input, weights, bias, oq);
  const label = `seed ${seed}: ${JSON.stringify({ ...g, zpIn, zpW, ...q })}`;

  const mark = heap.mark();
  const params = packFixedPointParams(k, heap, oq.multipliers, oq.shifts);
  if (tweak) modesSeen.add(`requant ${k.requantMode(params, g.outC, oq.zpOut, oq.qmin, oq.qmax)}`);
  const inPtr = heap.put(input);
  const p = prepareConv(k, heap, g, q, weights, bias, zpW, rng.int(0, 1) ? inPtr : undefined);
  modesSeen.add(k.convMode(p.desc));
  const outLen = want.length;
  const out = heap.alloc(outLen + 16);
  heap.u8(out, outLen + 16).fill(0x5a);
  k.conv(p.desc, inPtr, p.workspace, p.packed, out, params);
  const got = heap.i8(out, outLen + 16);
  for (let i = 0; i < outLen; i++) if (got[i] !== want[i]) assert.unreachable(`conv (mode ${k.convMode(p.desc)}) ${label}: output[${i}] = ${got[i]}, want ${want[i]}`);
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
    runCase(seed, rng, randomShape(rng));
  }
  assert.ok(modesSeen.has(1), 'the gather mode ran');
});

test('pointwise convs (1x1, stride 1, unpadded) run as a GEMM on the input and match', () => {
  for (let seed = 2000; seed < 2200; seed++) {
    const rng = prng(seed);
    runCase(seed, rng, randomShape(rng, { kH: 1, kW: 1, strideH: 1, strideW: 1, padTop: 0, padLeft: 0, padBottom: 0, padRight: 0 }));
  }
  assert.ok(modesSeen.has(0), 'the pointwise mode ran');
});

test('pointwise and gathered convs with moderate shifts: the f64 requantization mode (ReLU clamp) and the 64-bit one (qmin < zpOut) match', () => {
  for (let seed = 2500; seed < 2700; seed++) {
    const rng = prng(seed);
    const signed = seed % 2 === 0;
    const pointwise = rng.int(0, 1) === 0;
    const over = pointwise ? { kH: 1, kW: 1, strideH: 1, strideW: 1, padTop: 0, padLeft: 0, padBottom: 0, padRight: 0 } : {};
    runCase(seed, rng, randomShape(rng, over), (oq, kk) => {
      const typical = -Math.round(Math.log2(kk) + 2);
      for (let j = 0; j < oq.multipliers.length; j++) {
        oq.multipliers[j] = rng.pick([1073741824, 2147483647, 1073741824 + rng.int(0, 1073741823), 0]);
        oq.shifts[j] = typical + rng.int(-2, 0);
      }
      if (signed) { oq.zpOut = rng.pick([127, 0, rng.int(-127, 127)]); oq.qmin = rng.int(-128, oq.zpOut - 1); oq.qmax = rng.pick([127, rng.int(oq.qmin, 127)]); }
      else { oq.qmin = Math.max(oq.qmin, oq.zpOut); oq.qmax = Math.max(oq.qmin, oq.qmax); }
    });
  }
  assert.ok(modesSeen.has('requant 2') && modesSeen.has('requant 1'), `both modes ran: ${[...modesSeen].join(', ')}`);
});

test('the first-layer shape (3 input channels, 3x3 stride 2, padding only bottom/right) matches', () => {
  for (let seed = 3000; seed < 3006; seed++) {
    const rng = prng(seed);
    runCase(seed, rng, randomShape(rng, {
      inputShape: [1, 17, 15, 3], outC: 32, kH: 3, kW: 3, strideH: 2, strideW: 2, dilationH: 1, dilationW: 1,
      padTop: 0, padLeft: 0, padBottom: 1, padRight: 1,
    }));
  }
});

/** How many MR = 4 tiles of a conv take the run gather (assembly/conv/runs.ts), and how many fall back to taps. */
function runTiles(g: ConvGeometry): { runs: number; taps: number } {
  const out = { runs: 0, taps: 0 };
  if (g.dilationW !== 1 || g.kW < 2 || g.kW * g.inC > 16 || g.outW < 4) return out;
  const m = g.batch * g.outH * g.outW;
  for (let m0 = 0; m0 < m; m0 += 4) {
    const ox0 = m0 % g.outW, oy = Math.floor(m0 / g.outW) % g.outH;
    const iy0 = oy * g.strideH - g.padTop, ix0 = ox0 * g.strideW - g.padLeft;
    const inside = ox0 + 4 <= g.outW && iy0 >= 0 && iy0 + (g.kH - 1) * g.dilationH < g.inH && ix0 >= 0 && ix0 + 3 * g.strideW + g.kW - 1 < g.inW;
    if (inside) out.runs++; else out.taps++;
  }
  return out;
}

test('few input channels (kW * cin <= 16): tiles inside the input copy window-row runs straight from it, edge tiles tap by tap, and match', () => {
  let runs = 0, taps = 0;
  for (let seed = 3100; seed < 3400; seed++) {
    const rng = prng(seed);
    const cin = rng.int(1, 5), kW = rng.int(2, 5), kH = rng.int(1, 4), dilationH = rng.pick([1, 1, 2]);
    const s = randomShape(rng, {
      inputShape: [rng.pick([1, 1, 2, 3]), rng.int(dilationH * (kH - 1) + 1, 14), rng.int(kW + 3, 24), cin], kH, kW, dilationW: 1, dilationH,
      padTop: rng.int(0, 2), padLeft: rng.int(0, 2), padBottom: rng.int(0, 2), padRight: rng.int(0, 2),
    });
    const t = runTiles(convGeometry(s.inputShape, s.kH, s.kW, s.outC, s.o));
    runs += t.runs; taps += t.taps;
    runCase(seed, rng, s);
  }
  assert.ok(runs > 1000 && taps > 1000, `both gathers ran: ${runs} run tiles, ${taps} tap tiles`);
});

test('gathered windows long enough for the c8 tiles (7x7 kernel, 9 input channels: K = 441), and just below (K = 245), match', () => {
  for (let seed = 3500; seed < 3520; seed++) {
    const rng = prng(seed);
    runCase(seed, rng, randomShape(rng, { inputShape: [rng.int(1, 2), rng.int(7, 11), rng.int(7, 11), seed % 2 ? 5 : 9], kH: 7, kW: 7 }));
  }
});

test('conv rebuilds its indirection table when called with another input pointer', () => {
  const rng = prng(4000);
  for (const inC of [5, 12]) { // one tap per vector copy, and more
    const g: ConvGeometry = convGeometry([2, 6, 7, inC], 3, 3, 10, { strideH: 1, strideW: 1, dilationH: 1, dilationW: 1, padTop: 1, padLeft: 1, padBottom: 1, padRight: 1 });
    const oq = randomOutputQuant(rng, g.outC, 9 * g.inC);
    const q = { zpIn: 3, zpOut: oq.zpOut, qmin: oq.qmin, qmax: oq.qmax };
    const weights = randomInt8(rng, g.outC * 9 * g.inC, -127, 127);
    const mark = heap.mark();
    const params = packFixedPointParams(k, heap, oq.multipliers, oq.shifts);
    const first = randomInt8(rng, g.batch * g.inH * g.inW * g.inC), second = randomInt8(rng, first.length);
    const p1 = heap.put(first), p2 = heap.put(second);
    const p = prepareConv(k, heap, g, q, weights, null, 0, p1);
    const n = g.batch * g.outH * g.outW * g.outC;
    const out = heap.alloc(n);
    for (const [ptr, data] of [[p1, first], [p2, second], [p1, first]] as const) {
      k.conv(p.desc, ptr, p.workspace, p.packed, out, params);
      const want = convRef({ ...g, cin: g.inC, cout: g.outC, dilH: 1, dilW: 1, zpIn: 3, zpW: 0 }, data, weights, null, oq);
      assert.equal([...heap.i8(out, n)], [...want]);
    }
    heap.release(mark);
  }
});

test('bad conv parameters are refused with a typed error naming the field', () => {
  const g = convGeometry([1, 5, 5, 4], 3, 3, 6, { strideH: 1, strideW: 1, dilationH: 1, dilationW: 1, padTop: 0, padLeft: 0, padBottom: 0, padRight: 0 });
  const q = { zpIn: 0, zpOut: 0, qmin: -128, qmax: 127 };
  const cases: [() => unknown, string][] = [
    [() => convInt8Descriptor(g, q, 128), 'weight zero point'],
    [() => convInt8Descriptor(g, { ...q, zpIn: -129 }), 'zpIn'],
    [() => convInt8Descriptor(g, { ...q, qmin: 5, qmax: 4 }), 'clamp'],
    [() => prepareConv(k, heap, g, q, new Int8Array(10), null), 'weights'],
    [() => prepareConv(k, heap, g, q, new Int8Array(6 * 9 * 4), new Int32Array(5)), 'bias'],
  ];
  for (const [bad, what] of cases) {
    try { bad(); assert.unreachable(`accepted bad ${what}`); } catch (e) {
      assert.instance(e, WasmqError);
      assert.match((e as Error).message, what);
    }
  }
});

test.run();
