import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { instantiateKernels } from '../../src/runtime/wasm.js';
import { WasmHeap } from '../../src/runtime/heap.js';
import type { KernelExports } from '../../src/runtime/kernel-abi.js';
import {
  addParams, mulParams, broadcast4, binaryDescriptor, activationRange, KernelParamsError, type AddParams, type MulParams,
  softmaxTable, requantDescriptor, requantTable8, concatPlan, padDescriptor, quantizeLayout, ROUND_HALF_AWAY, ROUND_HALF_EVEN, type Quant8,
} from '../../src/runtime/kernels/elementwise.js';
import { broadcastRef, addOneRef, mulOneRef, lutRef, softmaxRef, requantize8Ref, concatRef, padRef, quantizeRef } from '../ref/elementwise.js';
import { quantizeMultiplier } from '../../src/quant/multiplier.js';
import { buildLut, logisticLut, tanhLut, hardSwishLut, leakyReluLut, reluLut, relu6Lut, logistic, hardSwish, type LutQuant } from '../../src/quant/lut.js';
import { WasmqError } from '../../src/runtime/errors.js';
import { prng, randomInt8, type Rng } from '../ref/prng.js';
import { requantRef, int32EdgeValues } from '../ref/requant.js';

const kernels = await instantiateKernels();
const k = kernels.exports as KernelExports;
const heap = new WasmHeap(kernels);

function sameBytes(got: ArrayLike<number>, want: ArrayLike<number>, what: string): void {
  if (got.length !== want.length) assert.unreachable(`${what}: length ${got.length}, want ${want.length}`);
  for (let i = 0; i < want.length; i++) {
    if (got[i] !== want[i]) assert.unreachable(`${what}: element ${i} is ${got[i]}, want ${want[i]}`);
  }
}

function clampBounds(rng: Rng): [number, number] {
  if (rng.float() < 0.4) return [-128, 127];
  const a = rng.int(-128, 127), b = rng.int(-128, 127);
  return [Math.min(a, b), Math.max(a, b)];
}

const zeroPoint = (rng: Rng) => rng.pick([-128, 0, 127, rng.int(-128, 127)]);
const scale = (rng: Rng) => 2 ** rng.int(-14, 4) * (0.5 + rng.float());

/** Calls a kernel on fresh buffers with a guard region after the output; returns the output bytes. */
function callOut(n: number, call: (outPtr: number) => void, what: string): Int8Array {
  const outPtr = heap.alloc(n + 16);
  heap.i8(outPtr, n + 16).fill(0x55);
  call(outPtr);
  if (heap.i8(outPtr + n, 16).some((v) => v !== 0x55)) assert.unreachable(`${what}: wrote past its output`);
  return heap.i8(outPtr, n).slice();
}

/** Shapes that broadcast to `out`: random axes set to 1, leading axes dropped. */
function broadcastShapes(rng: Rng): [number[], number[]] {
  const rank = rng.int(1, 5);
  let out: number[];
  do out = Array.from({ length: rank }, () => rng.pick([1, 2, 3, rng.int(1, 6), 16, 17, 33]));
  while (out.reduce((x, y) => x * y, 1) > 1200);
  const derive = (): number[] => {
    const kind = rng.int(0, 4);
    if (kind === 0) return out.slice(); // same shape
    if (kind === 1) return [out[rank - 1]]; // per-channel vector [C]
    if (kind === 2) return rng.float() < 0.5 ? [1] : []; // scalar
    const s = out.map((d) => (rng.float() < 0.4 ? 1 : d));
    return s.slice(rng.int(0, rank - 1));
  };
  // At least one side keeps the full output shape so the broadcast result is `out` or reachable from it.
  return rng.float() < 0.5 ? [out, derive()] : [derive(), out];
}

function runBinary(kind: 'add' | 'mul', a: Int8Array, shapeA: number[], b: Int8Array, shapeB: number[], p: AddParams | MulParams, qmin: number, qmax: number): Int8Array {
  const mark = heap.mark();
  const bc = broadcast4(shapeA, shapeB);
  const n = bc.outShape.reduce((x, y) => x * y, 1);
  const pa = heap.put(a), pb = heap.put(b), desc = heap.put(binaryDescriptor(bc, p, qmin, qmax));
  const out = callOut(n, (o) => (kind === 'add' ? k.addInt8 : k.mulInt8)(pa, pb, o, desc), kind);
  heap.release(mark);
  return out;
}

for (const kind of ['add', 'mul'] as const) {
  test(`${kind}: random shapes with every broadcast kind, scales, zero points and clamps match the reference`, () => {
    for (let seed = 1; seed <= 1500; seed++) {
      const rng = prng(seed);
      const [shapeA, shapeB] = broadcastShapes(rng);
      const a = randomInt8(rng, shapeA.reduce((x, y) => x * y, 1)), b = randomInt8(rng, shapeB.reduce((x, y) => x * y, 1));
      const s1 = scale(rng), s2 = rng.float() < 0.3 ? s1 : scale(rng);
      const sOut = kind === 'add' ? Math.max(s1, s2) * rng.pick([0.05, 0.5, 1, 2, 2 ** rng.int(-6, 6)]) : s1 * s2 * rng.pick([1 / 300, 0.01, 1, 2 ** rng.int(-10, 10)]);
      const zp1 = zeroPoint(rng), zp2 = zeroPoint(rng), zpOut = zeroPoint(rng);
      const [qmin, qmax] = clampBounds(rng);
      const p = kind === 'add' ? addParams(s1, zp1, s2, zp2, sOut, zpOut) : mulParams(s1, zp1, s2, zp2, sOut, zpOut);
      const want = broadcastRef(a, shapeA, b, shapeB, (x, y) => (p.kind === 'add' ? addOneRef(x, y, p, qmin, qmax) : mulOneRef(x, y, p, qmin, qmax)));
      sameBytes(runBinary(kind, a, shapeA, b, shapeB, p, qmin, qmax), want.out, `seed ${seed} [${shapeA}] ${kind} [${shapeB}] s ${s1} ${s2} -> ${sOut}`);
    }
  });
}

test('add and mul with multipliers near 2^31, tiny multipliers, left shifts and saturated inputs (long rows)', () => {
  const rng = prng(4242);
  for (let i = 0; i < 300; i++) {
    const n = rng.int(1, 300);
    const fill = rng.int(0, 3);
    const a = fill === 0 ? new Int8Array(n).fill(rng.pick([-128, 127])) : randomInt8(rng, n);
    const b = fill === 1 ? new Int8Array(n).fill(rng.pick([-128, 127])) : randomInt8(rng, n);
    const add: AddParams = {
      kind: 'add', zpA: rng.pick([-128, 0, 127]), zpB: rng.pick([-128, 0, 127]), zpOut: rng.pick([-128, 0, 127]),
      mA: rng.pick([2147483647, 1 << 30, 1073741824 + rng.int(0, 1 << 30)]), shiftA: rng.pick([0, -1, -10, -31]),
      mB: rng.pick([2147483647, 1 << 30, 0]), shiftB: rng.pick([0, -1, -25]),
      mOut: rng.pick([2147483647, 1 << 30, 1073741824 + rng.int(0, 1 << 30)]), shiftOut: rng.pick([-31, -20, -12, 0, 3]),
    };
    const mul: MulParams = { kind: 'mul', zpA: add.zpA, zpB: add.zpB, zpOut: add.zpOut, mOut: add.mOut, shiftOut: rng.pick([-31, -15, -8, 0, 1, 14, 16, 30]) };
    for (const p of [add, mul]) {
      const want = broadcastRef(a, [n], b, [n], (x, y) => (p.kind === 'add' ? addOneRef(x, y, p, -128, 127) : mulOneRef(x, y, p, -128, 127)));
      sameBytes(runBinary(p.kind, a, [n], b, [n], p, -128, 127), want.out, `case ${i} ${JSON.stringify(p)}`);
    }
  }
});

test('add: the input scaling is exact for every input byte, including rounding ties (small multipliers, identity output)', () => {
  const rng = prng(777);
  const a = Int8Array.from({ length: 256 }, (_, i) => i - 128);
  for (let i = 0; i < 200; i++) {
    const small = () => rng.pick([1024 + 2048 * rng.int(0, 30), rng.int(0, 65535), 512 + 1024 * rng.int(0, 60)]);
    // mOut = 2^30 with shift 1 is exactly x1: the sum of the two scaled inputs reaches the output unrounded.
    const p: AddParams = {
      kind: 'add', zpA: rng.pick([-128, 0, 127, rng.int(-128, 127)]), zpB: rng.pick([-128, 0, 127]), zpOut: rng.int(-20, 20),
      mA: small(), shiftA: -rng.int(0, 3), mB: small(), shiftB: -rng.int(0, 3), mOut: 1 << 30, shiftOut: 1,
    };
    const b = randomInt8(rng, 256);
    const want = Int8Array.from(a, (x, j) => addOneRef(x, b[j], p, -128, 127));
    sameBytes(runBinary('add', a, [256], b, [256], p, -128, 127), want, `case ${i} ${JSON.stringify(p)}`);
    // The other input with multiplier exactly 1/2 (scaled by a shift) and held at its zero point (x = 0): the
    // output shows this input's rounding alone, through the kernel's HALF form (shift 1..20) or GENERIC one.
    const half: AddParams = { ...p, mB: 1 << 30, shiftB: 0, shiftA: -rng.pick([1, 2, 3, rng.int(1, 20), 21, 25]) };
    const atZero = new Int8Array(256).fill(half.zpB);
    const wantHalf = Int8Array.from(a, (x) => addOneRef(x, half.zpB, half, -128, 127));
    sameBytes(runBinary('add', a, [256], atZero, [256], half, -128, 127), wantHalf, `case ${i} half ${JSON.stringify(half)}`);
  }
});

test('add: every (a, b) byte pair, either input the larger scale (a shift scales it), equal scales, clamps', () => {
  const n = 65536;
  const a = Int8Array.from({ length: n }, (_, i) => (i >> 8) - 128), b = Int8Array.from({ length: n }, (_, i) => (i & 255) - 128);
  // MobileNetV2-like residual scales in both orders, equal scales, a ratio below 1/2 (input shift -1), tiny outputs.
  const cases: [number, number, number, number, number, number, number, number][] = [
    [0.2455, -7, 0.3608, -3, 0.4029, -1, -128, 127], [0.3608, -3, 0.2455, -7, 0.4029, -1, -128, 127],
    [0.2, 127, 0.2, -128, 0.25, 0, -128, 127], [0.05, 0, 0.12, 127, 0.07, -128, -128, 127],
    [0.1, -128, 0.013, 0, 0.0011, 127, -20, 90], [0.5, 3, 0.5, 3, 0.5, 3, 3, 127],
  ];
  for (const [s1, zp1, s2, zp2, so, zpo, qmin, qmax] of cases) {
    const p = addParams(s1, zp1, s2, zp2, so, zpo);
    const want = Int8Array.from(a, (x, j) => addOneRef(x, b[j], p, qmin, qmax));
    sameBytes(runBinary('add', a, [n], b, [n], p, qmin, qmax), want, `all pairs ${JSON.stringify(p)}`);
    // b broadcast along rows of 256: the splat paths of the same arithmetic
    const row = Int8Array.from({ length: 256 }, (_, i) => i - 128);
    const wantRow = Int8Array.from(a, (x, j) => addOneRef(x, row[j & 255], p, qmin, qmax));
    sameBytes(runBinary('add', a, [256, 256], row, [256], p, qmin, qmax), wantRow, `rows ${JSON.stringify(p)}`);
  }
});

test('broadcast4 merges contiguous axes and refuses shapes that do not broadcast', () => {
  const same = broadcast4([1, 7, 7, 32], [1, 7, 7, 32]);
  assert.equal(same.dims, [1, 1, 1, 7 * 7 * 32]);
  const channel = broadcast4([2, 5, 5, 16], [16]);
  assert.equal([channel.dims, channel.stridesA, channel.stridesB], [[1, 1, 50, 16], [0, 0, 16, 1], [0, 0, 0, 1]]);
  const scalar = broadcast4([], [3, 4]);
  assert.equal([scalar.dims, scalar.stridesA, scalar.stridesB], [[1, 1, 1, 12], [0, 0, 0, 0], [0, 0, 0, 1]]);
  assert.throws(() => broadcast4([2, 3], [4]), (e: unknown) => e instanceof KernelParamsError && /do not broadcast/.test(e.message));
  assert.throws(() => broadcast4([2, 1, 2, 1, 2], [1, 2, 1, 2, 1]), (e: unknown) => e instanceof KernelParamsError && /4/.test(e.message));
  assert.throws(() => addParams(0, 0, 1, 0, 1, 0), (e: unknown) => e instanceof KernelParamsError && /scale/.test(e.message));
  assert.throws(() => mulParams(1, 0, 1, 300, 1, 0), (e: unknown) => e instanceof KernelParamsError && /zero point/.test(e.message));
});

test('activationRange: relu and relu6 clamp bounds', () => {
  assert.equal(activationRange('none', 0.1, 5), { qmin: -128, qmax: 127 });
  assert.equal(activationRange('relu', 0.1, -20), { qmin: -20, qmax: 127 });
  assert.equal(activationRange('relu6', 6 / 255, -128), { qmin: -128, qmax: 127 });
  assert.equal(activationRange('relu6', 0.1, -10), { qmin: -10, qmax: 50 });
});

test('lut8 and lut8Scalar map every byte through random tables, any length, in place', () => {
  for (let seed = 1; seed <= 400; seed++) {
    const rng = prng(seed);
    const table = Uint8Array.from({ length: 256 }, () => rng.int(0, 255));
    const n = rng.pick([0, 1, 15, 16, 17, 31, 33, rng.int(0, 100), rng.int(100, 2000)]);
    const x = Uint8Array.from({ length: n }, () => rng.int(0, 255));
    const want = Int8Array.from(x, (b) => table[b]);
    const mark = heap.mark();
    const px = heap.put(x), pt = heap.put(table);
    sameBytes(callOut(n, (o) => k.lut8(px, o, n, pt), 'lut8'), want, `seed ${seed} n ${n}`);
    sameBytes(callOut(n, (o) => k.lut8Scalar(px, o, n, pt), 'lut8Scalar'), want, `seed ${seed} n ${n} scalar`);
    k.lut8(px, px, n, pt);
    sameBytes(heap.i8(px, n), want, `seed ${seed} n ${n} in place`);
    heap.release(mark);
  }
});

test('clamp8 clamps int8 to random bounds, any length', () => {
  for (let seed = 1; seed <= 200; seed++) {
    const rng = prng(seed);
    const n = rng.int(0, 300);
    const x = randomInt8(rng, n);
    const [qmin, qmax] = clampBounds(rng);
    const mark = heap.mark();
    const px = heap.put(x);
    sameBytes(callOut(n, (o) => k.clamp8(px, o, n, qmin, qmax), 'clamp8'), Int8Array.from(x, (v) => Math.min(qmax, Math.max(qmin, v))), `seed ${seed}`);
    heap.release(mark);
  }
});

test('lookup tables: every named function, random int8/uint8 parameters, match the formula', () => {
  const named: [string, (x: number) => number, (i: LutQuant, o: LutQuant) => Uint8Array][] = [
    ['logistic', logistic, logisticLut], ['tanh', Math.tanh, tanhLut], ['hardSwish', hardSwish, hardSwishLut],
    ['relu', (x) => Math.max(0, x), reluLut], ['relu6', (x) => Math.min(6, Math.max(0, x)), relu6Lut],
    ['leakyRelu 0.1', (x) => (x >= 0 ? x : 0.1 * x), (i, o) => leakyReluLut(0.1, i, o)],
  ];
  for (let seed = 1; seed <= 300; seed++) {
    const rng = prng(seed);
    const inType = rng.pick(['int8', 'uint8'] as const), outType = rng.pick(['int8', 'uint8'] as const);
    const zp = (t: string) => (t === 'int8' ? rng.pick([-128, 0, 127, rng.int(-128, 127)]) : rng.pick([0, 128, 255, rng.int(0, 255)]));
    const input: LutQuant = { scale: 2 ** rng.int(-8, 0) * (0.5 + rng.float()), zeroPoint: zp(inType), type: inType };
    const output: LutQuant = { scale: 2 ** rng.int(-9, 0) * (0.5 + rng.float()), zeroPoint: zp(outType), type: outType };
    for (const [name, f, make] of named) {
      const want = lutRef(f, input.scale, input.zeroPoint, inType === 'int8', output.scale, output.zeroPoint, outType === 'int8');
      sameBytes(make(input, output), want, `seed ${seed} ${name} ${JSON.stringify([input, output])}`);
    }
  }
});

test('lookup tables round ties half away from zero, saturate, and map NaN to the zero point', () => {
  // identity with output scale 2: q = +-3 -> +-1.5 -> +-2, q = +-1 -> +-0.5 -> +-1
  const t = buildLut((x) => x, { scale: 1, zeroPoint: 0 }, { scale: 2, zeroPoint: 0 });
  assert.equal([3, -3, 1, -1, 127, -128].map((q) => (t[q & 0xff] << 24) >> 24), [2, -2, 1, -1, 64, -64]);
  const sat = buildLut((x) => x * 1000, { scale: 1, zeroPoint: 0 }, { scale: 1, zeroPoint: 0, type: 'uint8' });
  assert.equal([sat[1], sat[0xff], sat[0]], [255, 0, 0]);
  const nan = buildLut(() => NaN, { scale: 1, zeroPoint: 0 }, { scale: 1, zeroPoint: -7 });
  assert.ok(nan.every((b) => b === 0xf9));
  // The logistic table of TFLite's usual parameters: 0 -> 0.5 -> 128 - 128 = 0.
  const sig = logisticLut({ scale: 0.1, zeroPoint: 0 }, { scale: 1 / 256, zeroPoint: -128 });
  assert.equal((sig[0] << 24) >> 24, 0);
  assert.throws(() => tanhLut({ scale: 0, zeroPoint: 0 }, { scale: 1, zeroPoint: 0 }), (e: unknown) => e instanceof WasmqError && /scale/.test(e.message));
  assert.throws(() => tanhLut({ scale: 1, zeroPoint: 0, type: 'uint8' }, { scale: 1, zeroPoint: 300 }), (e: unknown) => e instanceof WasmqError && /zero point/.test(e.message));
});

function runSoftmax(x: Int8Array, rows: number, length: number, beta: number, s: number): Int8Array {
  const mark = heap.mark();
  const px = heap.put(x), pt = heap.put(softmaxTable(beta, s));
  const out = callOut(rows * length, (o) => k.softmaxInt8(px, o, rows, length, pt), 'softmax');
  heap.release(mark);
  return out;
}

test('softmax: random rows of any length, betas and input scales match the f32 reference bit for bit', () => {
  for (let seed = 1; seed <= 600; seed++) {
    const rng = prng(seed);
    const rows = rng.int(1, 4), length = rng.pick([1, 2, 10, 15, 16, 17, 33, rng.int(1, 100), 1000, 1001]);
    const x = rng.float() < 0.2 ? new Int8Array(rows * length).fill(rng.int(-128, 127)) : randomInt8(rng, rows * length, rng.pick([-128, -20]), rng.pick([127, 20]));
    const beta = rng.pick([1, 1, 0.5, 2, rng.float() * 3 + 0.01]);
    const s = rng.pick([1 / 16, 0.1, 0.5, 2 ** rng.int(-10, 0) * (0.5 + rng.float())]);
    sameBytes(runSoftmax(x, rows, length, beta, s), softmaxRef(x, rows, length, beta, s), `seed ${seed} ${rows}x${length} beta ${beta} s ${s}`);
  }
});

test('softmax: a one-element row is 1.0 (127), equal values split evenly, a dominant value saturates', () => {
  assert.equal([...runSoftmax(Int8Array.of(-5), 1, 1, 1, 0.1)], [127]);
  assert.equal([...runSoftmax(new Int8Array(4).fill(3), 1, 4, 1, 0.1)], [-64, -64, -64, -64]);
  assert.equal([...runSoftmax(Int8Array.of(127, -128), 1, 2, 1, 1)], [127, -128]);
  assert.throws(() => softmaxTable(0, 0.1), (e: unknown) => e instanceof KernelParamsError && /beta/.test(e.message));
});

const asSigned = (b: number) => (b << 24) >> 24;
const randomQuant8 = (rng: Rng, type: 'int8' | 'uint8' = rng.pick(['int8', 'uint8'] as const)): Quant8 => ({
  scale: 2 ** rng.int(-10, 3) * (0.5 + rng.float()),
  zeroPoint: type === 'int8' ? rng.pick([-128, 0, 127, rng.int(-128, 127)]) : rng.pick([0, 128, 255, rng.int(0, 255)]),
  type,
});

/** The reference of one 8-bit value (raw byte) mapped from `input` to `output` parameters. */
function requantByte(byte: number, input: Quant8, output: Quant8, qmin: number, qmax: number): number {
  const q = input.type === 'uint8' ? byte : asSigned(byte);
  const { multiplier, shift } = quantizeMultiplier(input.scale / output.scale);
  return requantize8Ref(q, input.zeroPoint, multiplier, shift, output.zeroPoint, qmin, qmax) & 0xff;
}

test('requantize8: int8/uint8 in and out, random scales, zero points and clamps, any length', () => {
  for (let seed = 1; seed <= 800; seed++) {
    const rng = prng(seed);
    const input = randomQuant8(rng), output = randomQuant8(rng);
    if (rng.float() < 0.2) output.scale = input.scale * rng.pick([1, 2 ** -20, 1000, 0.9999]);
    const full = output.type === 'uint8' ? [0, 255] : [-128, 127];
    const a = rng.int(full[0], full[1]), b = rng.int(full[0], full[1]);
    const [qmin, qmax] = rng.float() < 0.5 ? full : [Math.min(a, b), Math.max(a, b)];
    const n = rng.pick([0, 1, 15, 16, 17, 33, rng.int(1, 200)]);
    const x = Uint8Array.from({ length: n }, () => rng.int(0, 255));
    const mark = heap.mark();
    const px = heap.put(x), pd = heap.put(requantDescriptor(input, output, qmin, qmax));
    const got = callOut(n, (o) => k.requantize8(px, o, n, pd), 'requantize8');
    sameBytes(Uint8Array.from(got), Uint8Array.from(x, (v) => requantByte(v, input, output, qmin, qmax)), `seed ${seed} ${JSON.stringify([input, output, qmin, qmax])}`);
    heap.release(mark);
  }
});

test('a real multiplier of 1 is (2^30, 1) and MBQM by it is the identity (the premise of requantize8\'s byte-add path)', () => {
  assert.equal(quantizeMultiplier(1), { multiplier: 2 ** 30, shift: 1 });
  const xs = new Set<number>(int32EdgeValues().filter((x) => x >= -(2 ** 30) && x < 2 ** 30));
  for (let x = -70000; x <= 70000; x++) xs.add(x);
  for (const x of xs) if (requantRef(x, 2 ** 30, 1, 0, -(2 ** 31), 2 ** 31 - 1) !== x) assert.unreachable(`MBQM(${x}, 2^30, 1) = ${requantRef(x, 2 ** 30, 1, 0, -(2 ** 31), 2 ** 31 - 1)}`);
});

test('requantize8 and copyRows8 with equal scales: every byte, int8/uint8 both sides, extreme zero points, saturation, clamps', () => {
  const rng = prng(99);
  const x = Uint8Array.from({ length: 256 + 37 }, (_, i) => i & 255);
  const n = x.length;
  for (let i = 0; i < 400; i++) {
    const input = randomQuant8(rng), output = randomQuant8(rng);
    output.scale = input.scale;
    const full = output.type === 'uint8' ? [0, 255] : [-128, 127];
    const a = rng.int(full[0], full[1]), b = rng.int(full[0], full[1]);
    const [qmin, qmax] = rng.float() < 0.5 ? full : [Math.min(a, b), Math.max(a, b)];
    const mark = heap.mark();
    const desc = requantDescriptor(input, output, qmin, qmax);
    assert.equal([desc[2], desc[3]], [2 ** 30, 1]);
    const px = heap.put(x), pd = heap.put(desc);
    const want = Uint8Array.from(x, (v) => requantByte(v, input, output, qmin, qmax));
    const what = `case ${i} ${JSON.stringify([input, output, qmin, qmax])}`;
    sameBytes(Uint8Array.from(callOut(n, (o) => k.requantize8(px, o, n, pd), 'requantize8')), want, what);
    // copyRows8: rows of 40 bytes (the last one short of a vector) into a wider output
    const rows = 7, rowBytes = 40, stride = 45;
    const got = Uint8Array.from(callOut(rows * stride, (o) => k.copyRows8(px, o, rows, rowBytes, stride, pd), 'copyRows8'));
    for (let r = 0; r < rows; r++) sameBytes(got.subarray(r * stride, r * stride + rowBytes), want.subarray(r * rowBytes, (r + 1) * rowBytes), `${what} row ${r}`);
    heap.release(mark);
  }
});

test('requantTable8 gives lut8 the exact requantize8 results for every byte', () => {
  for (let seed = 1; seed <= 50; seed++) {
    const rng = prng(seed);
    const input = randomQuant8(rng), output = randomQuant8(rng);
    const table = requantTable8(k, heap, input, output);
    for (let b = 0; b < 256; b++) {
      const want = requantByte(b, input, output, output.type === 'uint8' ? 0 : -128, output.type === 'uint8' ? 255 : 127);
      if (table[b] !== want) assert.unreachable(`seed ${seed} byte ${b}: ${table[b]}, want ${want}`);
    }
  }
});

test('add and mul in place: out == a (same shape), out == b', () => {
  for (let seed = 1; seed <= 100; seed++) {
    const rng = prng(seed);
    const shape = [rng.int(1, 3), rng.int(1, 40)];
    const n = shape[0] * shape[1];
    const a = randomInt8(rng, n), b = randomInt8(rng, n);
    for (const kind of ['add', 'mul'] as const) {
      const p = kind === 'add' ? addParams(0.05, rng.int(-128, 127), 0.03, rng.int(-128, 127), 0.06, rng.int(-128, 127)) : mulParams(0.05, 3, 0.03, -7, 0.002, 1);
      const want = runBinary(kind, a, shape, b, shape, p, -128, 127);
      for (const which of ['a', 'b'] as const) {
        const mark = heap.mark();
        const pa = heap.put(a), pb = heap.put(b), desc = heap.put(binaryDescriptor(broadcast4(shape, shape), p, -128, 127));
        const out = which === 'a' ? pa : pb;
        (kind === 'add' ? k.addInt8 : k.mulInt8)(pa, pb, out, desc);
        sameBytes(heap.i8(out, n), want, `seed ${seed} ${kind} in place into ${which}`);
        heap.release(mark);
      }
    }
  }
});

test('flipSign8 maps uint8 to int8 and back (xor 0x80)', () => {
  const x = Uint8Array.from({ length: 300 }, (_, i) => (i * 37) & 0xff);
  const mark = heap.mark();
  const px = heap.put(x);
  for (const n of [0, 1, 16, 17, 300]) sameBytes(Uint8Array.from(callOut(n, (o) => k.flipSign8(px, o, n), 'flipSign8')), x.subarray(0, n).map((v) => v ^ 0x80), `n ${n}`);
  heap.release(mark);
});

test('concatenation along every axis: copies when parameters match, requantizes and clamps when they differ', () => {
  for (let seed = 1; seed <= 600; seed++) {
    const rng = prng(seed);
    const rank = rng.int(1, 4);
    const base = Array.from({ length: rank }, () => rng.pick([1, 2, 3, rng.int(1, 7), 17]));
    const axis = rng.int(0, rank - 1);
    const type = rng.pick(['int8', 'uint8'] as const);
    const output = randomQuant8(rng, type);
    const count = rng.int(1, 4);
    const inputs = Array.from({ length: count }, () => {
      const shape = [...base];
      shape[axis] = rng.pick([0, 1, 2, 5, 16, 17, rng.int(1, 9)]);
      const data = Uint8Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rng.int(0, 255));
      const quant = rng.float() < 0.5 ? { ...output } : randomQuant8(rng, type);
      return { shape, data, quant };
    });
    const full = type === 'uint8' ? [0, 255] : [-128, 127];
    const [qmin, qmax] = rng.float() < 0.7 ? full : [full[0] + rng.int(0, 100), full[1] - rng.int(0, 100)];
    const { outShape, parts } = concatPlan(inputs, rng.float() < 0.5 ? axis : axis - rank, output, qmin, qmax);
    const size = outShape.reduce((a, b) => a * b, 1);
    const mark = heap.mark();
    const ptrs = inputs.map((x) => heap.put(x.data));
    const descs = parts.map((p) => (p.desc ? heap.put(p.desc) : 0));
    const got = callOut(size, (o) => parts.forEach((p, n) => k.copyRows8(ptrs[n], o + p.outOffset, p.rows, p.rowBytes, p.outStride, descs[n])), 'concat');
    const want = concatRef(inputs, axis, (n, byte) => requantByte(byte, inputs[n].quant, output, qmin, qmax));
    sameBytes(Uint8Array.from(got), want, `seed ${seed} axis ${axis} shapes ${inputs.map((x) => `[${x.shape}]`).join(' ')}`);
    // Identical parameters and no clamp copy bytes as they are.
    parts.forEach((p, n) => { if (qmin === full[0] && qmax === full[1] && inputs[n].quant.scale === output.scale && inputs[n].quant.zeroPoint === output.zeroPoint) assert.is(p.desc, null); });
    heap.release(mark);
  }
  assert.throws(() => concatPlan([{ shape: [1, 2], quant: { scale: 1, zeroPoint: 0 } }, { shape: [2, 2], quant: { scale: 1, zeroPoint: 0 } }], 1, { scale: 1, zeroPoint: 0 }), (e: unknown) => e instanceof KernelParamsError && /input 1/.test(e.message));
});

test('pad: ranks 1..6, random before/after amounts, pad value = zero point', () => {
  for (let seed = 1; seed <= 600; seed++) {
    const rng = prng(seed);
    const rank = rng.int(1, 6);
    let shape: number[];
    do shape = Array.from({ length: rank }, () => rng.pick([1, 2, 3, rng.int(0, 6), 16]));
    while (shape.reduce((a, b) => a * b, 1) > 3000);
    const pads = shape.flatMap(() => [rng.pick([0, 0, 1, 2, rng.int(0, 5)]), rng.pick([0, 0, 1, 3, rng.int(0, 5)])]);
    const value = rng.pick([-128, 0, 127, 255, rng.int(-128, 127)]);
    const x = Uint8Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rng.int(0, 255));
    const { outShape, desc } = padDescriptor(shape, pads, value);
    const size = outShape.reduce((a, b) => a * b, 1);
    const mark = heap.mark();
    const px = heap.put(x), pd = heap.put(desc);
    const got = callOut(size, (o) => k.pad8(px, o, pd), 'pad');
    sameBytes(Uint8Array.from(got), padRef(x, shape, pads, value), `seed ${seed} shape [${shape}] pads [${pads}]`);
    heap.release(mark);
  }
  assert.throws(() => padDescriptor([2, 2], [1, 1, -1, 0], 0), (e: unknown) => e instanceof KernelParamsError && /pads\[2\]/.test(e.message));
  assert.throws(() => padDescriptor([1, 1, 1, 1, 1, 1, 1], new Array(14).fill(0), 0), (e: unknown) => e instanceof KernelParamsError && /rank/.test(e.message));
});

/** Floats that stress rounding: random, exact ties x = (k + 1/2) * s, near-ties, specials. */
function stressFloats(rng: Rng, n: number, s: number): Float32Array {
  return Float32Array.from({ length: n }, () => {
    switch (rng.int(0, 6)) {
      case 0: return rng.normal() * s * 100;
      case 1: return (rng.int(-300, 300) + 0.5) * s;
      case 2: return Math.fround((rng.int(-300, 300) + 0.5) * s) * (1 + rng.pick([-1, 1]) * 2 ** -23);
      case 3: return rng.pick([NaN, Infinity, -Infinity, -0, 0, 3e38, -3e38, 1e-40]);
      default: return rng.int(-200, 200) * s + rng.normal() * s;
    }
  });
}

test('quantizeF32: per tensor and per axis, int8 and uint8, ties in both rounding modes, NaN and infinities', () => {
  for (let seed = 1; seed <= 500; seed++) {
    const rng = prng(seed);
    const rank = rng.int(1, 4);
    const shape = Array.from({ length: rank }, () => rng.pick([1, 2, 3, 5, 16, 17, rng.int(1, 40)]));
    const perAxis = rng.float() < 0.5;
    const axis = perAxis ? rng.int(0, rank - 1) : -1;
    const slices = perAxis ? shape[axis] : 1;
    const type = rng.pick(['int8', 'uint8'] as const);
    const scales = Array.from({ length: slices }, () => rng.pick([2 ** rng.int(-8, 2), 2 ** rng.int(-10, 3) * (0.5 + rng.float())]));
    const zps = Array.from({ length: slices }, () => (type === 'int8' ? rng.pick([-128, 0, 127, rng.int(-128, 127)]) : rng.pick([0, 128, 255, rng.int(0, 255)])));
    const L = quantizeLayout(shape, scales, zps, axis, type);
    const n = shape.reduce((a, b) => a * b, 1);
    const x = stressFloats(rng, n, scales[0]);
    for (const mode of [ROUND_HALF_AWAY, ROUND_HALF_EVEN]) {
      const mark = heap.mark();
      const px = heap.put(x), ps = heap.put(L.scales), pz = heap.put(L.zeroPoints);
      const got = Uint8Array.from(callOut(n, (o) => k.quantizeF32(px, o, L.outer, L.axisLen, L.inner, ps, pz, L.qmin, L.qmax, mode), 'quantize'));
      const want = Uint8Array.from(x, (v, i) => {
        const a = Math.floor(i / L.inner) % L.axisLen;
        return quantizeRef(v, L.scales[a], zps[a], L.qmin, L.qmax, mode === ROUND_HALF_EVEN) & 0xff;
      });
      sameBytes(got, want, `seed ${seed} mode ${mode} shape [${shape}] axis ${axis} ${type}`);
      heap.release(mark);
    }
  }
});

test('quantizeF32 ties: 0.5 -> 1 / 0, 1.5 -> 2 / 2, 2.5 -> 3 / 2, -2.5 -> -3 / -2; NaN -> zero point', () => {
  const x = Float32Array.of(0.5, 1.5, 2.5, -0.5, -1.5, -2.5, NaN, Infinity, -Infinity);
  const mark = heap.mark();
  const px = heap.put(x), ps = heap.put(Float32Array.of(1)), pz = heap.put(Int32Array.of(0));
  const away = callOut(9, (o) => k.quantizeF32(px, o, 1, 1, 9, ps, pz, -128, 127, ROUND_HALF_AWAY), 'quantize');
  const even = callOut(9, (o) => k.quantizeF32(px, o, 1, 1, 9, ps, pz, -128, 127, ROUND_HALF_EVEN), 'quantize');
  assert.equal([...away], [1, 2, 3, -1, -2, -3, 0, 127, -128]);
  assert.equal([...even], [0, 2, 2, 0, -2, -2, 0, 127, -128]);
  heap.release(mark);
});

test('dequantize8 and dequantizeI32: per tensor and per axis match f32(scale * (q - zp))', () => {
  for (let seed = 1; seed <= 300; seed++) {
    const rng = prng(seed);
    const rank = rng.int(1, 4);
    const shape = Array.from({ length: rank }, () => rng.pick([1, 2, 3, 16, 17, rng.int(1, 30)]));
    const axis = rng.float() < 0.5 ? rng.int(0, rank - 1) : -1;
    const slices = axis >= 0 ? shape[axis] : 1;
    const type = rng.pick(['int8', 'uint8', 'int32'] as const);
    const scales = Array.from({ length: slices }, () => 2 ** rng.int(-20, 3) * (0.5 + rng.float()));
    const zps = Array.from({ length: slices }, () => (type === 'int8' ? rng.int(-128, 127) : type === 'uint8' ? rng.int(0, 255) : rng.pick([0, rng.int(-1000, 1000), -2147483648, 2147483647])));
    const L = quantizeLayout(shape, scales, zps, axis, type, 'Dequantize');
    const n = shape.reduce((a, b) => a * b, 1);
    const q = type === 'int32' ? Int32Array.from({ length: n }, () => rng.pick([rng.u32() | 0, rng.int(-500, 500), -2147483648, 2147483647]))
      : type === 'int8' ? randomInt8(rng, n) : Uint8Array.from({ length: n }, () => rng.int(0, 255));
    const mark = heap.mark();
    const pq = heap.put(q), ps = heap.put(L.scales), pz = heap.put(L.zeroPoints), po = heap.alloc(n * 4);
    if (type === 'int32') k.dequantizeI32(pq, po, L.outer, L.axisLen, L.inner, ps, pz);
    else k.dequantize8(pq, po, L.outer, L.axisLen, L.inner, ps, pz, type === 'int8' ? 1 : 0);
    const got = heap.f32(po, n);
    for (let i = 0; i < n; i++) {
      const a = Math.floor(i / L.inner) % L.axisLen;
      const want = Math.fround(L.scales[a] * (q[i] - zps[a]));
      if (!Object.is(got[i], want)) assert.unreachable(`seed ${seed} ${type} element ${i}: q ${q[i]} -> ${got[i]}, want ${want}`);
    }
    heap.release(mark);
  }
  assert.throws(() => quantizeLayout([2, 3], [1, 1], [0, 0], 1, 'int8'), (e: unknown) => e instanceof KernelParamsError && /2 scales/.test(e.message));
  assert.throws(() => quantizeLayout([2, 3], [1], [300], -1, 'uint8'), (e: unknown) => e instanceof KernelParamsError && /zero point/.test(e.message));
});

test.run();
