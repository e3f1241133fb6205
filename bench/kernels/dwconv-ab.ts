// A/B of two kernel builds on every MobileNetV2 depthwise layer shape (--5x5: the 5x5 layers of MobileNetV3 and
// EfficientNet-lite0 instead), in one process (the machine is shared and
// noisy: rounds alternate old, new and the f32 twin; medians, with the ratio of minima as a check). Also checks
// that both builds give the same bytes.
//   npm run build:wasm && cp build/wasmq.wasm /tmp/old.wasm   (then change the kernels and rebuild)
//   npx tsx bench/kernels/dwconv-ab.ts /tmp/old.wasm build/wasmq.wasm [--general] [--5x5] [--rounds N] [--only TEXT]
// --general: the '(general requant)' quantization (signed f64 path) instead of MobileNetV2's ReLU6;
// --only: just the shapes whose name contains TEXT (e.g. 's2', '7x7').
import { readFileSync } from 'node:fs';
import { instantiateKernels } from '../../src/runtime/wasm.js';
import { WasmHeap } from '../../src/runtime/heap.js';
import type { KernelExports } from '../../src/runtime/kernel-abi.js';
import { writeDepthwiseDescriptor, packDepthwiseInt8, depthwiseScratch } from '../../src/runtime/kernels/dwconv.js';
import { packRequantParams } from '../../src/runtime/requant-params.js';
import { prng, randomInt8 } from '../../test/ref/prng.js';
import { depthwiseBenchGeometry, depthwiseShapeName, RELU6, GENERAL, type DepthwiseShape } from './dwconv.js';
import { setupF32Depthwise } from './f32.js';

/** MobileNetV2 1.0 224's depthwise layers (input h = w, channels, stride). */
const SHAPES_3X3 = [[112, 32, 1], [112, 96, 2], [56, 144, 1], [56, 144, 2], [28, 192, 1], [28, 192, 2], [14, 384, 1], [14, 576, 1], [14, 576, 2], [7, 960, 1]];
/** --5x5: the 5x5 depthwise layers of MobileNetV3-large and EfficientNet-lite0. */
const SHAPES_5X5 = [[56, 72, 2], [28, 120, 1], [56, 144, 2], [28, 240, 1], [14, 672, 1], [14, 672, 2], [7, 960, 1]];
const k5 = process.argv.includes('--5x5');
const SHAPES: DepthwiseShape[] = (k5 ? SHAPES_5X5 : SHAPES_3X3).map(([h, c, stride]) => ({ h, w: h, c, stride, k: k5 ? 5 : 3 }));

const [oldPath, newPath] = process.argv.slice(2).filter((a) => a.endsWith('.wasm'));
if (!oldPath || !newPath) throw new Error('usage: dwconv-ab.ts OLD.wasm NEW.wasm [--general] [--5x5] [--rounds N] [--only TEXT]');
const q = process.argv.includes('--general') ? GENERAL : RELU6;
const ri = process.argv.indexOf('--rounds');
const rounds = ri > 0 ? Number(process.argv[ri + 1]) : 15;
const oi = process.argv.indexOf('--only');
const only = oi > 0 ? process.argv[oi + 1] : '';

interface Build { k: KernelExports; heap: WasmHeap }
async function load(path: string): Promise<Build> {
  const inst = await instantiateKernels(readFileSync(path));
  return { k: inst.exports as KernelExports, heap: new WasmHeap(inst) };
}

function int8Layer({ k, heap }: Build, s: DepthwiseShape) {
  const g = depthwiseBenchGeometry(s);
  const rng = prng(s.h * 1000 + s.c);
  const desc = writeDepthwiseDescriptor(heap, g, { zpIn: q.zpIn, zpOut: q.zpOut, qmin: q.qmin, qmax: q.qmax });
  const packed = packDepthwiseInt8(k, heap, {
    weights: randomInt8(rng, g.kH * g.kW * s.c, -127, 127), bias: Int32Array.from({ length: s.c }, () => rng.int(-5000, 5000)), channels: s.c, kH: g.kH, kW: g.kW, zpIn: q.zpIn,
  });
  const params = packRequantParams(k, heap, Array.from({ length: s.c }, () => q.lo + rng.float() * q.span));
  const scratch = depthwiseScratch(k, heap, g, 1);
  const input = heap.put(randomInt8(rng, s.h * s.w * s.c));
  const n = g.outH * g.outW * s.c;
  const output = heap.alloc(n);
  return { run: () => k.dwconvInt8(desc, input, output, packed, params, scratch), out: () => heap.i8(output, n).slice() };
}

function f32Layer({ k, heap }: Build, s: DepthwiseShape) {
  return setupF32Depthwise(k, heap, s);
}

function time(f: () => void, reps: number): number {
  const t = performance.now();
  for (let i = 0; i < reps; i++) f();
  return (performance.now() - t) / reps;
}
const median = (a: number[]) => [...a].sort((x, y) => x - y)[a.length >> 1];

const A = await load(oldPath), B = await load(newPath);
console.log(`int8 depthwise ${k5 ? '5x5' : '3x3'}, ${q === RELU6 ? 'ReLU6' : 'general'} quantization: ${oldPath} (old) vs ${newPath} (new), ${rounds} rounds`);
for (const s of SHAPES.filter((x) => depthwiseShapeName(x).includes(only))) {
  const a = int8Layer(A, s), b = int8Layer(B, s), f = f32Layer(B, s);
  a.run(); b.run();
  const oa = a.out(), ob = b.out();
  const same = oa.every((v, i) => v === ob[i]);
  const reps = Math.max(1, Math.round((k5 ? 7e5 : 2e6) / (s.h * s.w * s.c / (s.stride * s.stride))));
  for (let i = 0; i < 5; i++) { a.run(); b.run(); f(); }
  const ta: number[] = [], tb: number[] = [], tf: number[] = [];
  for (let r = 0; r < rounds; r++) { ta.push(time(a.run, reps)); tb.push(time(b.run, reps)); tf.push(time(f, reps)); }
  const ma = median(ta), mb = median(tb), mf = median(tf);
  console.log(`${depthwiseShapeName(s).padEnd(14)} old ${ma.toFixed(4)} new ${mb.toFixed(4)} f32 ${mf.toFixed(4)} ms | f32/int8 old ${(mf / ma).toFixed(2)}x new ${(mf / mb).toFixed(2)}x | new/old ${(mb / ma).toFixed(3)} (minima ${(Math.min(...tb) / Math.min(...ta)).toFixed(3)})${same ? '' : ' OUTPUTS DIFFER'}`);
}
