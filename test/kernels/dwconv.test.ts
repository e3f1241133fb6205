import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { instantiateKernels } from '../../src/runtime/wasm.js';
import { WasmHeap } from '../../src/runtime/heap.js';
import type { KernelExports } from '../../src/runtime/kernel-abi.js';
import { packFixedPointParams } from '../../src/runtime/requant-params.js';
import { convGeometry, writeDepthwiseDescriptor, packDepthwiseInt8, depthwiseScratch, type ConvGeometry } from '../../src/runtime/kernels/dwconv.js';
import { KernelParamsError } from '../../src/runtime/kernels/params-error.js';
import { depthwiseInt8Ref, type DepthwiseInt8Case } from '../ref/dwconv.js';
import { prng, randomInt8, type Rng } from '../ref/prng.js';

const kernels = await instantiateKernels();
const k = kernels.exports as KernelExports;
const heap = new WasmHeap(kernels);
// Outputs strictly inside their clamp: the random multipliers must exercise rounding, not only saturation.
const seen = { inside: 0, total: 0 };

/** Runs both int8 kernels on one case and compares every output byte with the reference. */
function check(label: string, c: DepthwiseInt8Case): void {
  const want = depthwiseInt8Ref(c);
  for (const v of want) if (v > c.qmin && v < c.qmax) seen.inside++;
  seen.total += want.length;
  const mark = heap.mark();
  const { g } = c;
  const xCopy = c.x.slice();
  const desc = writeDepthwiseDescriptor(heap, g, { zpIn: c.zpIn, zpOut: c.zpOut, qmin: c.qmin, qmax: c.qmax });
  const packed = packDepthwiseInt8(k, heap, { weights: c.w, bias: c.bias, channels: g.outC, kH: g.kH, kW: g.kW, zpIn: c.zpIn, zpW: c.zpW });
  const params = packFixedPointParams(k, heap, c.m0, c.shift);
  const scratch = depthwiseScratch(k, heap, g, 1);
  const input = heap.put(c.x);
  for (const kernel of ['dwconvInt8', 'dwconvInt8Scalar'] as const) {
    const output = heap.alloc(want.length);
    heap.i8(output, want.length).fill(0x5a);
    k[kernel](desc, input, output, packed, params, scratch);
    const got = heap.i8(output, want.length);
    for (let i = 0; i < want.length; i++) {
      if (got[i] !== want[i]) {
        assert.unreachable(`${label} ${kernel}: output ${i} (channel ${i % g.outC}) = ${got[i]}, want ${want[i]}; geometry ${JSON.stringify(g)} zpIn ${c.zpIn} zpW ${c.zpW} zpOut ${c.zpOut} [${c.qmin},${c.qmax}]`);
      }
    }
  }
  assert.equal(heap.i8(input, c.x.length), xCopy, `${label}: input untouched`);
  heap.release(mark);
}

/** A random case; `shape` overrides any field. Multipliers target the accumulators' typical size. */
function randomCase(rng: Rng, shape: Partial<ConvGeometry> & { mult?: number; padBottom?: number; padRight?: number } = {}): DepthwiseInt8Case {
  const kH = shape.kH ?? rng.pick([1, 2, 3, 3, 3, 5, 5, 7]);
  const kW = shape.kW ?? (rng.float() < 0.7 ? kH : rng.int(1, 6));
  const inC = shape.inC ?? rng.pick([1, 3, 4, 8, 15, 16, 17, 31, 32, 33, 47, 48, 64, rng.int(1, 70)]);
  const mult = shape.mult ?? (rng.float() < 0.75 ? 1 : rng.int(2, 3));
  const strideH = shape.strideH ?? rng.int(1, 3), strideW = shape.strideW ?? (rng.float() < 0.8 ? strideH : rng.int(1, 3));
  const dilationH = shape.dilationH ?? (rng.float() < 0.8 ? 1 : rng.int(2, 3));
  const dilationW = shape.dilationW ?? (rng.float() < 0.8 ? dilationH : rng.int(1, 3));
  const pads = () => rng.pick([0, 0, 1, Math.floor(kH / 2), rng.int(0, kH)]);
  const opts = {
    strideH, strideW, dilationH, dilationW,
    padTop: shape.padTop ?? pads(), padBottom: shape.padBottom ?? pads(), padLeft: shape.padLeft ?? pads(), padRight: shape.padRight ?? pads(),
  };
  const minH = dilationH * (kH - 1) + 1 - opts.padTop - opts.padBottom, minW = dilationW * (kW - 1) + 1 - opts.padLeft - opts.padRight;
  const inH = Math.max(1, minH, shape.inH ?? rng.int(1, 10)), inW = Math.max(1, minW, shape.inW ?? rng.int(1, 10));
  const g = convGeometry([shape.batch ?? rng.pick([1, 1, 1, 2, 3]), inH, inW, inC], kH, kW, inC * mult, opts);
  const outC = g.outC, taps = kH * kW;
  const zpW = rng.float() < 0.7 ? 0 : rng.pick([-128, 127, 1, -1, rng.int(-128, 127)]);
  const w = zpW === 0 ? randomInt8(rng, taps * outC, -127, 127) : randomInt8(rng, taps * outC);
  const zpIn = rng.pick([-128, 0, 127, rng.int(-128, 127)]);
  const x = rng.float() < 0.1 ? new Int8Array(g.batch * inH * inW * inC).fill(rng.pick([-128, 127])) : randomInt8(rng, g.batch * inH * inW * inC);
  const bias = rng.float() < 0.15 ? undefined : Int32Array.from({ length: outC }, () => rng.int(-(1 << 20), 1 << 20));
  // log2 of a typical |acc|: about 128 * 128 * sqrt(taps), plus the bias
  const typical = Math.log2(128 * 128 * Math.sqrt(taps) + (bias ? 1 << 19 : 0));
  const m0 = new Int32Array(outC), shift = new Int32Array(outC);
  for (let c = 0; c < outC; c++) {
    m0[c] = rng.pick([1 << 30, 2147483647, 1073741824 + rng.int(0, 1073741823), 1073741824 + rng.int(0, 1073741823)]);
    shift[c] = rng.float() < 0.8 ? -Math.round(typical) + 5 + rng.int(-2, 1) : rng.pick([-31, -20, 0, 1, 5]);
  }
  const zpOut = rng.pick([-128, 0, 127, rng.int(-128, 127)]);
  let qmin = -128, qmax = 127;
  if (rng.float() < 0.4) {
    const a = rng.int(-128, 127), b = rng.int(-128, 127);
    qmin = Math.min(a, b); qmax = Math.max(a, b);
  }
  return { g, x, w, bias, zpIn, zpW, m0, shift, zpOut, qmin, qmax };
}

test('MobileNet fast-path shapes (3x3 and 5x5, stride 1 and 2, multiplier 1) match the reference byte for byte', () => {
  let n = 0;
  for (const kH of [3, 5]) for (const stride of [1, 2]) for (const inC of [1, 8, 15, 16, 17, 32, 40, 64, 72]) {
    for (let rep = 0; rep < 4; rep++) {
      const seed = 1000 + n++;
      const pad = Math.floor(kH / 2);
      check(`seed ${seed}`, randomCase(prng(seed), { kH, kW: kH, strideH: stride, strideW: stride, inC, mult: 1, dilationH: 1, dilationW: 1, padTop: pad, padLeft: pad, padBottom: pad, padRight: pad }));
    }
  }
});

test('3x3 sliding kernel: rows longer than its chunk, 0 or 1 padding column each side, row strides and dilations, channel tails', () => {
  for (let seed = 7000; seed < 7060; seed++) {
    const rng = prng(seed);
    const stride = rng.pick([1, 2]);
    check(`seed ${seed}`, randomCase(rng, {
      kH: 3, kW: 3, mult: 1, batch: rng.int(1, 2), inH: rng.int(1, 5), inW: rng.pick([1, 2, 3, 127, 128, 129, 130, 257, 258, rng.int(100, 300)]),
      inC: rng.pick([1, 3, 4, 5, 15, 16, 17, 20, 36]), strideW: stride, strideH: rng.pick([1, 2, 3]),
      dilationW: 1, dilationH: rng.pick([1, 1, 2]),
      padLeft: rng.pick([0, 1, 1, 2]), padRight: rng.pick([0, 1, 1, 2]), padTop: rng.int(0, 2), padBottom: rng.int(0, 2),
    }));
  }
});

test('3x3 sliding kernel: rows too wide for L1 split into short chunks (many channels), tails and padding', () => {
  for (let seed = 7100; seed < 7130; seed++) {
    const rng = prng(seed);
    const stride = rng.pick([1, 2]);
    check(`seed ${seed}`, randomCase(rng, {
      kH: 3, kW: 3, mult: 1, batch: 1, inH: rng.int(1, 4), inW: rng.int(60, 140),
      inC: rng.pick([96, 100, 144, 161, 200]), strideW: stride, strideH: stride, dilationW: 1, dilationH: 1,
      padLeft: rng.pick([0, 1]), padRight: rng.pick([0, 1]), padTop: rng.int(0, 1), padBottom: rng.int(0, 1),
    }));
  }
});

test('3x3 sliding kernel: several output rows per call, bounded by the L1 row budget (many channels, row strides, dilations, batches)', () => {
  for (let seed = 7200; seed < 7240; seed++) {
    const rng = prng(seed);
    const stride = rng.pick([1, 2]);
    check(`seed ${seed}`, randomCase(rng, {
      kH: 3, kW: 3, mult: 1, batch: rng.int(1, 2), inH: rng.int(4, 16), inW: rng.int(8, 40),
      inC: rng.pick([17, 64, 96, 144, 200]), strideW: stride, strideH: rng.pick([stride, 1, 3]), dilationW: 1, dilationH: rng.pick([1, 1, 2]),
      padLeft: rng.pick([0, 1]), padRight: rng.pick([0, 1]), padTop: rng.int(0, 2), padBottom: rng.int(0, 2),
    }));
  }
});

/** dwconvInt8's condition for the 5x5 sliding kernel (slides5x5 in assembly/dwconv/slide5x5.ts, depth multiplier 1). */
const slides5x5 = (g: ConvGeometry) =>
  g.kH === 5 && g.kW === 5 && g.dilationW === 1 && (g.strideW === 1 ? g.outW >= 5 : g.strideW === 2 && g.outW >= 12) && g.outC === g.inC;
/** The narrowest output rows slides5x5 takes, by column stride. */
const SLIDE5_MIN_OUT_W = { 1: 5, 2: 12 } as const;

/**
 * A random case the 5x5 sliding kernel takes, `outW` outputs per row (default: its narrowest rows and up); half of
 * them with a ReLU-style clamp (qmin = zpOut).
 */
function slide5x5Case(rng: Rng, shape: Partial<ConvGeometry> & { padBottom?: number; padRight?: number }): DepthwiseInt8Case {
  const stride = (shape.strideW ?? rng.pick([1, 2])) as 1 | 2;
  const padLeft = shape.padLeft ?? rng.int(0, 2), padRight = shape.padRight ?? rng.int(0, 2);
  const outW = shape.outW ?? SLIDE5_MIN_OUT_W[stride] + rng.pick([0, 0, 1, 2, rng.int(0, 40)]);
  const c = randomCase(rng, {
    kH: 5, kW: 5, mult: 1, dilationW: 1, strideH: stride, dilationH: 1, padTop: rng.int(0, 2), padBottom: rng.int(0, 2), ...shape,
    strideW: stride, padLeft, padRight, inW: (outW - 1) * stride + 5 - padLeft - padRight + rng.int(0, stride - 1),
  });
  if (rng.float() < 0.5) {
    c.qmin = c.zpOut;
    c.qmax = rng.pick([127, Math.min(127, c.zpOut + rng.int(0, 255))]);
  }
  assert.ok(slides5x5(c.g), `the case is one the 5x5 sliding kernel takes: ${JSON.stringify(c.g)}`);
  return c;
}

test('5x5 sliding kernel: strides 1 and 2, 0-2 padding columns each side, widths around its 64-output chunk, channel tails, batches', () => {
  for (let seed = 7300; seed < 7420; seed++) {
    const rng = prng(seed);
    const wide = rng.float() < 0.3;
    check(`seed ${seed}`, slide5x5Case(rng, {
      strideH: rng.pick([1, 2, 3]), dilationH: rng.pick([1, 1, 2]), batch: rng.int(1, 3), inH: rng.int(1, wide ? 5 : 9),
      ...(wide ? { outW: rng.pick([63, 64, 65, 66, 67, 68, 127, 128, 129, 130, 131]) } : {}),
      inC: wide ? rng.pick([1, 5, 16, 17, 23]) : rng.pick([1, 2, 3, 4, 5, 7, 8, 12, 15, 16, 17, 20, 31, 33, 36, 72]),
    }));
  }
});

test('5x5 sliding kernel: MobileNetV3 / EfficientNet-lite layer shapes (fewer rows), SAME padding, ReLU-style and plain clamps', () => {
  const shapes = [[56, 72, 2], [28, 120, 1], [28, 144, 2], [14, 240, 1], [14, 672, 1], [24, 672, 2], [7, 960, 1], [7, 1152, 1]];
  let seed = 7500;
  for (const [h, c, stride] of shapes) for (let rep = 0; rep < 2; rep++) {
    const rng = prng(seed++);
    // TensorFlow SAME: stride 1 pads 2 each side; stride 2 on an even input pads 1 top/left, 2 bottom/right
    const pad = stride === 1 ? { padTop: 2, padBottom: 2, padLeft: 2, padRight: 2 } : { padTop: 1, padBottom: 2, padLeft: 1, padRight: 2 };
    check(`seed ${seed}`, slide5x5Case(rng, { strideW: stride, strideH: stride, inH: rep ? 5 : 8, outW: Math.ceil(h / stride), inC: c, batch: 1, ...pad }));
  }
});

test('5x5 sliding kernel: weight zero point != 0 over the full weight range, wide padding, saturating outputs', () => {
  for (let seed = 7600; seed < 7660; seed++) {
    const rng = prng(seed);
    const c = slide5x5Case(rng, {
      inH: rng.int(1, 8), inC: rng.pick([3, 16, 17, 40]),
      ...(rng.float() < 0.3 ? { padLeft: rng.int(3, 6), padRight: rng.int(3, 6), padTop: rng.int(0, 5), padBottom: rng.int(0, 5) } : {}),
    });
    c.zpW = rng.pick([-128, 127, 1, rng.int(-128, 127)]);
    c.w = randomInt8(rng, c.w.length);
    for (let i = 0; i < c.shift.length; i++) if (rng.float() < 0.3) c.shift[i] = rng.pick([0, 3]);
    check(`seed ${seed}`, c);
  }
});

test('5x5 sliding kernel against the general loop: the same layer as a 5x6 window with a zero last column', () => {
  for (let seed = 7700; seed < 7740; seed++) {
    const rng = prng(seed);
    const c = slide5x5Case(rng, { inH: rng.int(1, 9), inC: rng.pick([4, 17, 33]) });
    const { g } = c;
    // One more kernel column of zero weights and one more padding column on the right: the same outputs.
    const g6 = convGeometry([g.batch, g.inH, g.inW, g.inC], 5, 6, g.outC, {
      strideH: g.strideH, strideW: g.strideW, dilationH: g.dilationH, dilationW: 1, padTop: g.padTop, padLeft: g.padLeft,
      padBottom: Math.max(0, (g.outH - 1) * g.strideH + (g.kH - 1) * g.dilationH + 1 - g.inH - g.padTop),
      padRight: Math.max(0, (g.outW - 1) * g.strideW + 5 + 1 - g.inW - g.padLeft),
    });
    assert.equal([g6.outH, g6.outW], [g.outH, g.outW]);
    assert.not.ok(slides5x5(g6));
    const w6 = new Int8Array(30 * g.outC).fill(c.zpW);
    for (let ky = 0; ky < 5; ky++) for (let kx = 0; kx < 5; kx++) w6.set(c.w.subarray((ky * 5 + kx) * g.outC, (ky * 5 + kx + 1) * g.outC), (ky * 6 + kx) * g.outC);
    const c6 = { ...c, g: g6, w: w6 };
    assert.equal(depthwiseInt8Ref(c6), depthwiseInt8Ref(c), `seed ${seed}: the 5x6 layer is the same layer`);
    const run = (d: DepthwiseInt8Case) => {
      const mark = heap.mark();
      const desc = writeDepthwiseDescriptor(heap, d.g, { zpIn: d.zpIn, zpOut: d.zpOut, qmin: d.qmin, qmax: d.qmax });
      const packed = packDepthwiseInt8(k, heap, { weights: d.w, bias: d.bias, channels: d.g.outC, kH: d.g.kH, kW: d.g.kW, zpIn: d.zpIn, zpW: d.zpW });
      const params = packFixedPointParams(k, heap, d.m0, d.shift);
      const scratch = depthwiseScratch(k, heap, d.g, 1);
      const n = d.g.batch * d.g.outH * d.g.outW * d.g.outC;
      const output = heap.alloc(n);
      k.dwconvInt8(desc, heap.put(d.x), output, packed, params, scratch);
      const got = heap.i8(output, n).slice();
      heap.release(mark);
      return got;
    };
    assert.equal(run(c), run(c6), `seed ${seed}: sliding kernel = general loop`);
  }
});

test('3x3 sliding kernel: biases past the f64 fold bound on some channels (added in int32), or all small (folded), every zero point, clamp, stride and channel tail', () => {
  for (let seed = 7300; seed < 7360; seed++) {
    const rng = prng(seed);
    const stride = rng.pick([1, 2]);
    const c = randomCase(rng, {
      kH: 3, kW: 3, mult: 1, batch: 1, inH: rng.int(3, 9), inW: rng.int(3, 40), inC: rng.pick([1, 5, 8, 12, 15, 17, 24, 33, 40]),
      strideW: stride, strideH: stride, dilationW: 1, dilationH: 1,
      padLeft: rng.pick([0, 1]), padRight: rng.pick([0, 1]), padTop: rng.int(0, 1), padBottom: rng.int(0, 1),
    });
    const big = seed % 2 === 0; // even seeds: a few channels' |bias M0| far past 2^51
    c.bias = Int32Array.from({ length: c.g.outC }, () => (big && rng.float() < 0.3 ? rng.pick([-1, 1]) * rng.int(1 << 23, 1 << 26) : rng.int(-(1 << 17), 1 << 17)));
    check(`seed ${seed}`, c);
  }
});

/** check() with the input placed so that its 16 bytes of over-read slack end exactly at the end of wasm memory. */
function checkAtMemoryEnd(label: string, c: DepthwiseInt8Case): void {
  const want = depthwiseInt8Ref(c);
  const mark = heap.mark();
  const { g } = c;
  const desc = writeDepthwiseDescriptor(heap, g, { zpIn: c.zpIn, zpOut: c.zpOut, qmin: c.qmin, qmax: c.qmax });
  const packed = packDepthwiseInt8(k, heap, { weights: c.w, bias: c.bias, channels: g.outC, kH: g.kH, kW: g.kW, zpIn: c.zpIn, zpW: c.zpW });
  const params = packFixedPointParams(k, heap, c.m0, c.shift);
  const scratch = depthwiseScratch(k, heap, g, 1);
  const output = heap.alloc(want.length);
  const size = c.x.length;
  const top = heap.mark();
  heap.alloc(size + 65536, 1); // grow memory past where the input will end
  heap.release(top);
  const end = heap.memory.buffer.byteLength;
  heap.alloc(end - 16 - size - top - 16, 1); // a filler (itself followed by 16 bytes of slack)
  const input = heap.alloc(size, 1);
  assert.is(input + size + 16, heap.memory.buffer.byteLength, `${label}: input at the end of memory`);
  heap.i8(input, size).set(c.x);
  for (const kernel of ['dwconvInt8', 'dwconvInt8Scalar'] as const) {
    k[kernel](desc, input, output, packed, params, scratch);
    const got = heap.i8(output, want.length);
    for (let i = 0; i < want.length; i++) {
      if (got[i] !== want[i]) assert.unreachable(`${label} ${kernel}: output ${i} = ${got[i]}, want ${want[i]}`);
    }
  }
  heap.release(mark);
}

test('inputs ending at the very end of wasm memory: reads stay within the 16-byte slack (channel tails, both loops)', () => {
  for (let seed = 6000; seed < 6040; seed++) {
    const rng = prng(seed);
    const kH = rng.pick([3, 3, 5]);
    const stride = rng.pick([1, 2]);
    const pad = rng.pick([0, 1]);
    checkAtMemoryEnd(`seed ${seed}`, randomCase(rng, {
      kH, kW: kH, mult: 1, inC: rng.pick([1, 2, 3, 5, 7, 13, 17, 18, 29, 33]), strideH: stride, strideW: stride,
      dilationH: 1, dilationW: 1, padTop: pad, padBottom: pad, padLeft: pad, padRight: pad,
    }));
  }
});

test('5x5 sliding kernel with its input at the very end of wasm memory: the window fill reads stay within the slack', () => {
  for (let seed = 6100; seed < 6124; seed++) {
    const rng = prng(seed);
    checkAtMemoryEnd(`seed ${seed}`, slide5x5Case(rng, { inH: rng.int(1, 6), inC: rng.pick([1, 2, 3, 5, 7, 13, 17, 18, 29, 33]), padBottom: 0, padRight: 0 }));
  }
});

test('depth multipliers 2-17: the repeated-input copy over 16-byte block phases, fast-path windows, memory end', () => {
  // Multipliers > 1 run the multiplier-1 loops on the input with each channel repeated m times (multiplier.ts):
  // output channel counts around multiples of 16 put every phase of the swizzle blocks at a pixel's end.
  for (let seed = 6500; seed < 6700; seed++) {
    const rng = prng(seed);
    const mult = rng.pick([2, 3, 4, 5, 7, 8, 16, 17, rng.int(2, 17)]);
    const inC = rng.pick([1, 2, 3, 5, 8, 9, rng.int(1, 40)]);
    const fast = rng.float() < 0.5;
    const kH = fast ? rng.pick([3, 5]) : rng.int(1, 5);
    const stride = rng.int(1, 2), pad = fast ? (kH - 1) / 2 : rng.int(0, 2);
    const shape = fast
      ? { kH, kW: kH, strideH: stride, strideW: stride, dilationH: 1, dilationW: 1, padTop: pad, padBottom: pad, padLeft: pad, padRight: pad }
      : { kH };
    const c = randomCase(rng, { ...shape, inC, mult, inH: rng.int(1, 9), inW: rng.int(1, 20) });
    if (seed % 4 === 0) checkAtMemoryEnd(`seed ${seed} m ${mult}`, c);
    else check(`seed ${seed} m ${mult}`, c);
  }
});

test('depth multipliers on wide rows: the repeated input goes in bands of output rows, bottom padding beyond the input', () => {
  // 128 KiB of repeated rows per band: rows of > 43 KB leave one output row per band, rows of 12-24 KB several,
  // with a shorter last band; pads up to 4 put whole bands in the bottom padding.
  for (let seed = 6700; seed < 6712; seed++) {
    const rng = prng(seed);
    const kH = rng.pick([3, 5]), stride = rng.int(1, 2), wide = seed % 2 === 0;
    const c = randomCase(rng, {
      kH, kW: kH, strideH: stride, strideW: stride, dilationH: rng.int(1, 2), dilationW: 1, inC: rng.int(48, 64), mult: rng.int(5, 7),
      inH: wide ? rng.int(2, 7) : rng.int(12, 24), inW: wide ? rng.int(100, 140) : rng.int(40, 60), batch: rng.int(1, 2),
      padTop: rng.int(0, 4), padBottom: rng.int(2, 4),
    });
    check(`seed ${seed}`, c);
  }
});

test('random geometry, dilation, asymmetric padding, depth multipliers, zero points and clamps: thousands of cases', () => {
  seen.inside = seen.total = 0;
  for (let seed = 1; seed <= 2500; seed++) check(`seed ${seed}`, randomCase(prng(seed)));
  assert.ok(seen.inside > 0.35 * seen.total, `only ${seen.inside} of ${seen.total} outputs inside the clamp`);
});

test('wide inputs: interior and border columns under every stride, dilation and padding', () => {
  for (let seed = 8000; seed < 8250; seed++) {
    const rng = prng(seed);
    check(`seed ${seed}`, randomCase(rng, { inH: rng.int(8, 20), inW: rng.int(12, 30), batch: rng.int(1, 2), inC: rng.pick([5, 16, 24, 40]) }));
  }
});

test('large kernels and many channels', () => {
  for (let seed = 9000; seed < 9012; seed++) {
    const rng = prng(seed);
    const kH = rng.pick([9, 11, 15]);
    check(`seed ${seed}`, randomCase(rng, { kH, kW: rng.int(1, kH), inC: rng.pick([100, 300, 577]), inH: rng.int(1, 6), inW: rng.int(1, 6), batch: 1, mult: rng.int(1, 2) }));
  }
});

test('weight zero point != 0 over the full int8 weight range, with saturating outputs', () => {
  for (let seed = 5000; seed < 5300; seed++) {
    const rng = prng(seed);
    const c = randomCase(rng, { mult: rng.int(1, 2) });
    c.zpW = rng.pick([-128, 127, rng.int(-128, 127)]);
    c.w = randomInt8(rng, c.w.length);
    for (let i = 0; i < c.shift.length; i++) if (rng.float() < 0.3) c.shift[i] = rng.pick([0, 3]);
    check(`seed ${seed}`, c);
  }
});

test('bad geometry and parameters are KernelParamsError, not traps', () => {
  const opts = { strideH: 1, strideW: 1, dilationH: 1, dilationW: 1, padTop: 0, padBottom: 0, padLeft: 0, padRight: 0 };
  assert.throws(() => convGeometry([1, 4, 4], 3, 3, 4, opts), (e: unknown) => e instanceof KernelParamsError);
  assert.throws(() => convGeometry([1, 2, 2, 4], 3, 3, 4, opts), (e: unknown) => e instanceof KernelParamsError, 'no output pixel');
  assert.throws(() => convGeometry([1, 8, 8, 4], 3, 3, 4, { ...opts, strideH: 0 }), (e: unknown) => e instanceof KernelParamsError);
  assert.throws(() => convGeometry([1, 8, 8, 4], 65, 65, 4, { ...opts, padTop: 64, padLeft: 64 }), (e: unknown) => e instanceof KernelParamsError, 'too many taps');
  const w = new Int8Array(9 * 4);
  assert.throws(() => packDepthwiseInt8(k, heap, { weights: w, channels: 5, kH: 3, kW: 3, zpIn: 0 }), (e: unknown) => e instanceof KernelParamsError);
  assert.throws(() => packDepthwiseInt8(k, heap, { weights: w, channels: 4, kH: 3, kW: 3, zpIn: 200 }), (e: unknown) => e instanceof KernelParamsError);
  assert.throws(() => writeDepthwiseDescriptor(heap, convGeometry([1, 8, 8, 4], 3, 3, 4, opts), { zpIn: 0, zpOut: 0, qmin: 5, qmax: 4 }), (e: unknown) => e instanceof KernelParamsError);
  assert.throws(() => writeDepthwiseDescriptor(heap, convGeometry([1, 8, 8, 4], 3, 3, 6, opts)), (e: unknown) => e instanceof KernelParamsError, 'outC not a multiple of inC');
});

test.run();
