// The in-memory model: what a verified .wasmq file becomes, what the builder writes, what the converters
// produce and what the runtime executes. Plain data, no FlatBuffers accessors: the format layer is the only
// code that knows the file encoding. Layouts: activations NHWC; conv weights OHWI; depthwise weights 1HWC
// (C = input channels * depth multiplier); fully-connected weights [N, K].

export type DType = 'int8' | 'uint8' | 'int32' | 'float32';

/** Bytes per element of each type. */
export const DTYPE_SIZE: Record<DType, number> = { int8: 1, uint8: 1, int32: 4, float32: 4 };

/** real = scale * (q - zeroPoint). One entry per slice along `axis`, or one entry when axis is -1. */
export interface Quantization {
  scales: Float32Array;
  zeroPoints: Int32Array;
  /** the quantized dimension, or -1 for per-tensor */
  axis: number;
}

export interface TensorDef {
  name: string;
  shape: number[];
  dtype: DType;
  quant?: Quantization;
  /** index into Model.buffers for constants; undefined for activations */
  buffer?: number;
}

/** Fused activation, applied as a clamp of the quantized output (QUANTIZATION.md §2). */
export type Activation = 'none' | 'relu' | 'relu6';

export interface Padding4 {
  padTop: number;
  padBottom: number;
  padLeft: number;
  padRight: number;
}

export interface Conv2DOptions extends Padding4 {
  strideH: number;
  strideW: number;
  dilationH: number;
  dilationW: number;
  activation: Activation;
}

export interface DepthwiseConv2DOptions extends Conv2DOptions {
  depthMultiplier: number;
}

export interface PoolOptions extends Padding4 {
  filterH: number;
  filterW: number;
  strideH: number;
  strideW: number;
  activation: Activation;
}

export interface ActivationOnly {
  activation: Activation;
}

export interface MeanOptions {
  /** reduced dimensions (NHWC: [1, 2] is a global average pool) */
  axes: number[];
  keepDims: boolean;
}

export interface ConcatenationOptions {
  axis: number;
  activation: Activation;
}

export interface PadOptions {
  /** [before_0, after_0, before_1, after_1, ...], one pair per input dimension; padding holds real 0 */
  pads: number[];
}

export interface SoftmaxOptions {
  beta: number;
}

export interface LeakyReluOptions {
  alpha: number;
}

/** How Quantize rounds on exact ties: 'half-away' from zero (TFLite, the default) or 'half-even' (ONNX). */
export type Rounding = 'half-away' | 'half-even';

export interface QuantizeOptions {
  /** absent: 'half-away' */
  rounding?: Rounding;
}

export type NoOptions = Record<string, never>;

/**
 * Every op kind with its options. Inputs and outputs are tensor indices.
 *   Conv2D, DepthwiseConv2D: [input, weights, bias?] -> [output]
 *     an int32 bias is in units of input scale x weight scale[c]; its own quant, if any, is informative only
 *   FullyConnected:           [input, weights [N, K], bias?] -> [output]  (input flattened to [M, K])
 *   Add, Mul:                 [a, b] -> [output]  (b may broadcast: same shape, per-channel [.., C] or scalar)
 *   Concatenation:            [x0, x1, ...] -> [output]
 *   Quantize:                 float32 -> int8/uint8, or int8/uint8 -> int8/uint8 (requantize)
 *   Dequantize:               int8/uint8 -> float32
 *   everything else:          [input] -> [output]
 */
export interface OpOptionsByKind {
  Conv2D: Conv2DOptions;
  DepthwiseConv2D: DepthwiseConv2DOptions;
  FullyConnected: ActivationOnly;
  Add: ActivationOnly;
  Mul: ActivationOnly;
  AveragePool2D: PoolOptions;
  MaxPool2D: PoolOptions;
  Mean: MeanOptions;
  Concatenation: ConcatenationOptions;
  Reshape: NoOptions;
  Pad: PadOptions;
  Softmax: SoftmaxOptions;
  Logistic: NoOptions;
  Tanh: NoOptions;
  HardSwish: NoOptions;
  LeakyRelu: LeakyReluOptions;
  Relu: NoOptions;
  Relu6: NoOptions;
  Quantize: QuantizeOptions;
  Dequantize: NoOptions;
}

export type OpKind = keyof OpOptionsByKind;

export const OP_KINDS: readonly OpKind[] = [
  'Conv2D', 'DepthwiseConv2D', 'FullyConnected', 'Add', 'Mul', 'AveragePool2D', 'MaxPool2D', 'Mean',
  'Concatenation', 'Reshape', 'Pad', 'Softmax', 'Logistic', 'Tanh', 'HardSwish', 'LeakyRelu', 'Relu', 'Relu6',
  'Quantize', 'Dequantize',
];

export type OpDef = {
  [K in OpKind]: { kind: K; name?: string; inputs: number[]; outputs: number[]; options: OpOptionsByKind[K] };
}[OpKind];

/** How raw inputs (e.g. image pixels in [0, 255]) become the model's float input: (x / 255 - mean) / std. */
export interface Preprocessing {
  layout: 'NHWC' | 'NCHW';
  mean: number[];
  std: number[];
  /** pixel scale applied before mean/std; 1/255 maps bytes to [0, 1] */
  pixelScale: number;
}

export interface ModelMetadata {
  producer: string;
  /** e.g. 'entropy', 'imported:tflite', 'imported:onnx-qdq' */
  calibrationMethod?: string;
  preprocessing?: Preprocessing;
  labels?: string[];
  /** free-form key/value pairs */
  extra?: Record<string, string>;
}

export interface Model {
  /** schema version the file was written with */
  version: number;
  tensors: TensorDef[];
  /** constant data, referenced by TensorDef.buffer; little-endian element bytes */
  buffers: Uint8Array[];
  /** in execution order */
  ops: OpDef[];
  inputs: number[];
  outputs: number[];
  metadata: ModelMetadata;
}
