// Benchmark cases of the pool and elementwise families on MobileNetV2-sized tensors. `macs` is the number of
// elements processed, so the runner's GOP/s column reads as 2x G elements/s. lut8 also has its scalar twin.
import type { KernelExports } from '../../src/runtime/kernel-abi.js';
import type { WasmHeap } from '../../src/runtime/heap.js';
import { poolDescriptor, poolGeometry, meanParams, meanDescriptor } from '../../src/runtime/kernels/pool.js';
import { addParams, mulParams, broadcast4, binaryDescriptor, softmaxTable, requantDescriptor, padDescriptor } from '../../src/runtime/kernels/elementwise.js';
import { prng, randomInt8, randomFloat32 } from '../../test/ref/prng.js';
import type { KernelCase, Variant } from './case.js';

function elementCase(kernel: string, shape: string, elements: number, setup: KernelCase['setup'], variant: Variant = 'int8-simd'): KernelCase {
  return { kernel, shape, variant, macs: elements, quick: true, setup };
}

const int8 = (heap: WasmHeap, n: number, seed: number) => heap.put(randomInt8(prng(seed), n));

const pool = (kind: 'max' | 'avg') => elementCase(`${kind}pool`, '112x112x64 3x3 s2', 112 * 112 * 64, (k, heap) => {
  const g = poolGeometry([1, 112, 112, 64], { filterH: 3, filterW: 3, strideH: 2, strideW: 2, padTop: 0, padBottom: 1, padLeft: 0, padRight: 1, activation: 'none' });
  const input = int8(heap, 112 * 112 * 64, 1), output = heap.alloc(g.outH * g.outW * 64), desc = heap.put(poolDescriptor(g));
  const run = kind === 'max' ? k.maxPool2d : k.averagePool2d;
  return () => run(input, output, desc, -128, 127);
});

const mean = elementCase('mean', '7x7x1280 over HW', 49 * 1280, (k, heap) => {
  const input = int8(heap, 49 * 1280, 2), output = heap.alloc(1280);
  const desc = heap.put(meanDescriptor(meanParams([1, 7, 7, 1280], [1, 2], 0.02, -128, 0.01, -128)));
  return () => k.meanReduce(input, output, desc);
});

// MobileNetV2's first residual Add (coral PTQ model): scales 0.2455 (zp -7) + 0.3608 (zp -3) -> 0.4029 (zp -1).
const MOBILENET_ADD = [0.2455, -7, 0.3608, -3, 0.4029, -1] as const;
const OTHER_SCALES = [0.05, -3, 0.07, 5, 0.1, -1] as const;
const EQUAL_SCALES = [0.1, -3, 0.1, 5, 0.15, -1] as const;

const binary = (kind: 'add' | 'mul', other: number[], name: string, q: readonly number[] = OTHER_SCALES) => elementCase(kind, `56x56x24 ${name}`, 56 * 56 * 24, (k: KernelExports, heap: WasmHeap) => {
  const n = 56 * 56 * 24;
  const a = int8(heap, n, 3), b = int8(heap, other.reduce((x, y) => x * y, 1), 4), out = heap.alloc(n);
  const params = (kind === 'add' ? addParams : mulParams)(q[0], q[1], q[2], q[3], q[4], q[5]);
  const desc = heap.put(binaryDescriptor(broadcast4([1, 56, 56, 24], other), params, -128, 127));
  const run = kind === 'add' ? k.addInt8 : k.mulInt8;
  return () => run(a, b, out, desc);
});

const lut = (variant: 'int8-simd' | 'int8-scalar') => elementCase('lut8', '56x56x144', 56 * 56 * 144, (k, heap) => {
  const n = 56 * 56 * 144, input = int8(heap, n, 5), output = heap.alloc(n), table = int8(heap, 256, 6);
  const run = variant === 'int8-simd' ? k.lut8 : k.lut8Scalar;
  return () => run(input, output, n, table);
}, variant);

const requantize = elementCase('requant8', '56x56x144', 56 * 56 * 144, (k, heap) => {
  const n = 56 * 56 * 144, input = int8(heap, n, 7), output = heap.alloc(n);
  const desc = heap.put(requantDescriptor({ scale: 0.05, zeroPoint: 3 }, { scale: 0.07, zeroPoint: -9 }));
  return () => k.requantize8(input, output, n, desc);
});

// MobileNetV2's input Quantize (coral PTQ model): uint8 (zp 127) -> int8 (zp -1), both scale 1/127.5.
const requantizeInput = elementCase('requant8', '224x224x3 u8->i8 same scale', 224 * 224 * 3, (k, heap) => {
  const n = 224 * 224 * 3, input = int8(heap, n, 11), output = heap.alloc(n), s = 0.007843137718737125;
  const desc = heap.put(requantDescriptor({ scale: s, zeroPoint: 127, type: 'uint8' }, { scale: s, zeroPoint: -1 }));
  return () => k.requantize8(input, output, n, desc);
});

const quantize = (mode: number) => elementCase('quantize', `224x224x3 ${mode === 0 ? 'half-away' : 'half-even'}`, 224 * 224 * 3, (k, heap) => {
  const n = 224 * 224 * 3, input = heap.put(randomFloat32(prng(8), n)), output = heap.alloc(n);
  const scales = heap.put(Float32Array.of(1 / 64)), zps = heap.put(Int32Array.of(-1));
  return () => k.quantizeF32(input, output, 1, 1, n, scales, zps, -128, 127, mode);
});

const softmax = elementCase('softmax', '1x1001', 1001, (k, heap) => {
  const input = int8(heap, 1001, 9), output = heap.alloc(1001), table = heap.put(softmaxTable(1, 0.1));
  return () => k.softmaxInt8(input, output, 1, 1001, table);
});

const pad = elementCase('pad', '112x112x32 -> 113x113x32', 113 * 113 * 32, (k, heap) => {
  const { outShape, desc } = padDescriptor([1, 112, 112, 32], [0, 0, 0, 1, 0, 1, 0, 0], -5);
  const input = int8(heap, 112 * 112 * 32, 10), output = heap.alloc(outShape.reduce((a, b) => a * b, 1)), d = heap.put(desc);
  return () => k.pad8(input, output, d);
});

export const cases: KernelCase[] = [
  pool('max'), pool('avg'), mean,
  binary('add', [1, 56, 56, 24], 'same'), binary('add', [1, 56, 56, 24], 'mobilenet scales', MOBILENET_ADD), binary('add', [1, 56, 56, 24], 'equal scales', EQUAL_SCALES), binary('add', [24], '+ [24]'), binary('mul', [1, 56, 56, 24], 'same'),
  lut('int8-simd'), lut('int8-scalar'), requantize, requantizeInput, quantize(0), quantize(1), softmax, pad,
];
