// Small valid models for format, runtime and graph tests: a builder that fills in quantization and random
// constant data, a small CNN using most ops, and one model per op kind.

import type { DType, Model, ModelMetadata, OpDef, OpKind, OpOptionsByKind, Quantization } from '../../src/format/model.js';
import { DTYPE_SIZE } from '../../src/format/model.js';
import { prng, type Rng } from '../ref/prng.js';

export const perTensor = (scale: number, zeroPoint: number): Quantization => ({
  scales: Float32Array.of(scale),
  zeroPoints: Int32Array.of(zeroPoint),
  axis: -1,
});

export class ModelBuilder {
  readonly model: Model;
  private readonly rng: Rng;

  constructor(seed = 1, metadata: ModelMetadata = { producer: 'wasmq test fixtures' }) {
    this.rng = prng(seed);
    this.model = { version: 1, tensors: [], buffers: [], ops: [], inputs: [], outputs: [], metadata };
  }

  /** An activation: int8/uint8 get a per-tensor quantization, float32 none. */
  tensor(name: string, shape: number[], dtype: DType = 'int8', quant?: Quantization): number {
    const q = quant ?? (dtype === 'int8' ? perTensor(0.05, -3) : dtype === 'uint8' ? perTensor(0.04, 128) : undefined);
    this.model.tensors.push({ name, shape, dtype, ...(q ? { quant: q } : {}) });
    return this.model.tensors.length - 1;
  }

  input(name: string, shape: number[], dtype: DType = 'int8'): number {
    const i = this.tensor(name, shape, dtype);
    this.model.inputs.push(i);
    return i;
  }

  /** A constant with seeded random contents (int8 weights in [-127, 127]). */
  constant(name: string, shape: number[], dtype: DType, quant?: Quantization): number {
    const n = shape.reduce((a, b) => a * b, 1);
    const data = new Uint8Array(n * DTYPE_SIZE[dtype]);
    if (dtype === 'int32') {
      const v = new Int32Array(n);
      for (let i = 0; i < n; i++) v[i] = this.rng.int(-5000, 5000);
      data.set(new Uint8Array(v.buffer));
    } else if (dtype === 'float32') {
      const v = new Float32Array(n);
      for (let i = 0; i < n; i++) v[i] = this.rng.normal();
      data.set(new Uint8Array(v.buffer));
    } else {
      for (let i = 0; i < n; i++) data[i] = dtype === 'int8' ? this.rng.int(-127, 127) & 0xff : this.rng.int(0, 255);
    }
    this.model.buffers.push(data);
    const q = quant ?? (dtype === 'int32' ? undefined : perTensor(0.02, 0));
    this.model.tensors.push({ name, shape, dtype, buffer: this.model.buffers.length - 1, ...(q ? { quant: q } : {}) });
    return this.model.tensors.length - 1;
  }

  /** Int8 weights quantized per output channel along `axis`. */
  weights(name: string, shape: number[], axis: number): number {
    const channels = shape[axis]!;
    const scales = new Float32Array(channels);
    for (let c = 0; c < channels; c++) scales[c] = 0.01 + 0.001 * c;
    return this.constant(name, shape, 'int8', { scales, zeroPoints: new Int32Array(channels), axis });
  }

  op<K extends OpKind>(kind: K, inputs: number[], outputs: number[], options: OpOptionsByKind[K], name?: string): void {
    this.model.ops.push({ kind, inputs, outputs, options, ...(name === undefined ? {} : { name }) } as OpDef);
  }

  output(...indices: number[]): Model {
    this.model.outputs.push(...indices);
    return this.model;
  }
}

const pad0 = { padTop: 0, padBottom: 0, padLeft: 0, padRight: 0 };
const pad1 = { padTop: 1, padBottom: 1, padLeft: 1, padRight: 1 };

/** Quantize -> Conv2D -> DepthwiseConv2D -> Conv2D 1x1 -> Add -> AveragePool2D -> Mean -> FullyConnected -> Softmax -> Dequantize. */
export function smallCnn(seed = 1): Model {
  const b = new ModelBuilder(seed, {
    producer: 'wasmq test fixtures',
    calibrationMethod: 'minmax',
    preprocessing: { layout: 'NHWC', mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225], pixelScale: 1 / 255 },
    labels: Array.from({ length: 10 }, (_, i) => `class ${i} ✓`),
    extra: { source: 'fixtures.ts', seed: String(seed) },
  });
  const x = b.input('image', [1, 8, 8, 3], 'float32');
  const xq = b.tensor('image/q', [1, 8, 8, 3], 'int8', perTensor(1 / 255, -128));
  b.op('Quantize', [x], [xq], {}, 'quantize');
  const c1 = b.tensor('conv1', [1, 8, 8, 8], 'int8', perTensor(6 / 255, -128));
  b.op('Conv2D', [xq, b.weights('conv1/w', [8, 3, 3, 3], 0), b.constant('conv1/b', [8], 'int32')], [c1],
    { ...pad1, strideH: 1, strideW: 1, dilationH: 1, dilationW: 1, activation: 'relu6' }, 'conv1');
  const d1 = b.tensor('dw1', [1, 4, 4, 8], 'int8', perTensor(0.03, -10));
  b.op('DepthwiseConv2D', [c1, b.weights('dw1/w', [1, 3, 3, 8], 3), b.constant('dw1/b', [8], 'int32')], [d1],
    { padTop: 0, padBottom: 1, padLeft: 0, padRight: 1, strideH: 2, strideW: 2, dilationH: 1, dilationW: 1, activation: 'none', depthMultiplier: 1 }, 'dw1');
  const p1 = b.tensor('pw1', [1, 4, 4, 8], 'int8', perTensor(0.04, 5));
  b.op('Conv2D', [d1, b.weights('pw1/w', [8, 1, 1, 8], 0)], [p1],
    { ...pad0, strideH: 1, strideW: 1, dilationH: 1, dilationW: 1, activation: 'relu' }, 'pw1');
  const sum = b.tensor('add', [1, 4, 4, 8], 'int8', perTensor(0.06, 0));
  b.op('Add', [d1, p1], [sum], { activation: 'none' }, 'residual');
  const pool = b.tensor('pool', [1, 2, 2, 8]);
  b.op('AveragePool2D', [sum], [pool], { ...pad0, filterH: 2, filterW: 2, strideH: 2, strideW: 2, activation: 'none' });
  const gap = b.tensor('gap', [1, 8]);
  b.op('Mean', [pool], [gap], { axes: [1, 2], keepDims: false });
  const logits = b.tensor('logits', [1, 10], 'int8', perTensor(0.1, 2));
  b.op('FullyConnected', [gap, b.weights('fc/w', [10, 8], 0), b.constant('fc/b', [10], 'int32')], [logits], { activation: 'none' }, 'fc');
  const probs = b.tensor('probs/q', [1, 10], 'int8', perTensor(1 / 256, -128));
  b.op('Softmax', [logits], [probs], { beta: 1 });
  const out = b.tensor('probs', [1, 10], 'float32');
  b.op('Dequantize', [probs], [out], {});
  return b.output(out);
}

/** One model per op kind: graph inputs -> the op -> one output, with shapes the op computes. */
export function singleOpModel(kind: OpKind, seed = 1): Model {
  const b = new ModelBuilder(seed);
  const x = () => b.input('x', [1, 5, 6, 4]);
  const out = (shape: number[], dtype: DType = 'int8') => b.tensor('y', shape, dtype);
  const conv = { strideH: 1, strideW: 2, dilationH: 2, dilationW: 1, activation: 'relu' as const };
  switch (kind) {
    case 'Conv2D': {
      const i = x();
      const y = out([1, 4, 3, 6]);
      // H: kernel 3 dilated by 2 spans 5, (5 + 1 + 2 - 5) / 1 + 1 = 4; W: (6 + 1 - 3) / 2 + 1 = 3
      b.op(kind, [i, b.weights('w', [6, 3, 3, 4], 0), b.constant('b', [6], 'int32')], [y],
        { padTop: 1, padBottom: 2, padLeft: 1, padRight: 0, ...conv });
      return b.output(y);
    }
    case 'DepthwiseConv2D': {
      const i = x();
      const y = out([1, 3, 3, 8]);
      b.op(kind, [i, b.weights('w', [1, 3, 3, 8], 3)], [y], { ...pad1, ...conv, depthMultiplier: 2 });
      return b.output(y);
    }
    case 'FullyConnected': {
      const i = b.input('x', [2, 3, 4]);
      const y = out([6, 5]);
      b.op(kind, [i, b.weights('w', [5, 4], 0), b.constant('b', [5], 'int32')], [y], { activation: 'relu6' });
      return b.output(y);
    }
    case 'Add':
    case 'Mul': {
      const i = x();
      const y = out([1, 5, 6, 4]);
      b.op(kind, [i, b.constant('c', [1, 1, 1, 4], 'int8', perTensor(0.1, 3))], [y], { activation: 'none' });
      return b.output(y);
    }
    case 'AveragePool2D':
    case 'MaxPool2D': {
      const i = x();
      const y = out([1, 3, 3, 4]);
      b.op(kind, [i], [y], { padTop: 1, padBottom: 1, padLeft: 0, padRight: 0, filterH: 3, filterW: 2, strideH: 2, strideW: 2, activation: 'none' });
      return b.output(y);
    }
    case 'Mean': {
      const i = x();
      const y = out([1, 1, 1, 4]);
      b.op(kind, [i], [y], { axes: [1, -2], keepDims: true });
      return b.output(y);
    }
    case 'Concatenation': {
      const i = x();
      const j = b.input('x2', [1, 5, 6, 2]);
      const y = out([1, 5, 6, 6]);
      b.op(kind, [i, j], [y], { axis: -1, activation: 'none' });
      return b.output(y);
    }
    case 'Reshape': {
      const i = x();
      const y = out([1, 120]);
      b.op(kind, [i], [y], {});
      return b.output(y);
    }
    case 'Pad': {
      const i = x();
      const y = out([1, 8, 7, 4]);
      b.op(kind, [i], [y], { pads: [0, 0, 1, 2, 0, 1, 0, 0] });
      return b.output(y);
    }
    case 'Softmax': {
      const i = b.input('x', [2, 7]);
      const y = out([2, 7]);
      b.op(kind, [i], [y], { beta: 0.5 });
      return b.output(y);
    }
    case 'LeakyRelu': {
      const i = x();
      const y = out([1, 5, 6, 4]);
      b.op(kind, [i], [y], { alpha: 0.1 });
      return b.output(y);
    }
    case 'Quantize': {
      const i = b.input('x', [3, 4], 'float32');
      const y = out([3, 4], 'uint8');
      b.op(kind, [i], [y], {});
      return b.output(y);
    }
    case 'Dequantize': {
      const i = b.input('x', [3, 4], 'uint8');
      const y = out([3, 4], 'float32');
      b.op(kind, [i], [y], {});
      return b.output(y);
    }
    default: {
      const i = x();
      const y = out([1, 5, 6, 4]);
      b.op(kind, [i], [y], {} as never);
      return b.output(y);
    }
  }
}
