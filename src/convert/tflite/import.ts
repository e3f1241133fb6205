// TFLite (.tflite, fully quantized) -> the plain wasmq Model (src/format/model.ts). Scales and zero points are
// kept exactly as the file gives them (int8 per-channel TF2 PTQ, legacy uint8 per-tensor with non-zero weight
// zero points): nothing is re-calibrated. Layouts already agree (NHWC activations, OHWI conv, 1HWC depthwise,
// [N, K] fully-connected weights). SAME / VALID padding becomes explicit pads (padding.ts). Constant operands
// that the Model carries as options (RESHAPE's shape, MEAN's axes, PAD's paddings) are folded into the options
// and dropped, as are tensors no op uses; the remaining tensors are renumbered in first-use order.
import type {
  Activation, DType, Model, OpDef, Padding4, Preprocessing, Quantization, TensorDef,
} from '../../format/model.js';
import { DTYPE_SIZE } from '../../format/model.js';
import { FORMAT_VERSION } from '../../format/verify-model.js';
import { ConvertError, type ConvertErrorCode } from '../errors.js';
import { Builtin, builtinName } from './builtin-ops.js';
import { tflitePadding } from './padding.js';
import { symmetrizeUint8Weights } from './symmetric-weights.js';
import { readTflite, tensorTypeName, TensorType, type TfliteModel, type TfliteOperator, type TfliteSubGraph, type TfliteTensor } from './schema.js';

export interface TfliteImportOptions {
  /** name used in messages (e.g. the file path); default '<bytes>' */
  source?: string;
  /** class labels, one per output index (e.g. the lines of imagenet_labels.txt; index 0 = background) */
  labels?: string[];
  /**
   * How image bytes become the input. Default for a uint8 image input: the bytes are fed unchanged
   * ({ pixelScale: 1, mean: 0, std: 1 }): the model's own input quantization maps them to reals. Other input
   * types get no default (the .tflite file does not record its normalization).
   */
  preprocessing?: Preprocessing;
  /**
   * Legacy uint8 weights (one non-zero zero point per tensor): 'keep' them as they are (exact; wasmq's kernels
   * fold the weight zero point), or rewrite them as 'symmetric-int8' per output channel
   * (exact for channels whose q - zp fit [-127, 127], rescaled otherwise; see symmetric-weights.ts).
   * Default 'keep'.
   */
  uint8Weights?: 'keep' | 'symmetric-int8';
}

const SUPPORTED = new Set<number>([
  Builtin.CONV_2D, Builtin.DEPTHWISE_CONV_2D, Builtin.FULLY_CONNECTED, Builtin.ADD, Builtin.MUL,
  Builtin.AVERAGE_POOL_2D, Builtin.MAX_POOL_2D, Builtin.MEAN, Builtin.RESHAPE, Builtin.SQUEEZE, Builtin.SOFTMAX,
  Builtin.CONCATENATION, Builtin.PAD, Builtin.QUANTIZE, Builtin.DEQUANTIZE, Builtin.LOGISTIC, Builtin.HARD_SWISH,
  Builtin.RELU, Builtin.RELU6,
]);

const DTYPES: Record<number, DType> = { [TensorType.FLOAT32]: 'float32', [TensorType.INT32]: 'int32', [TensorType.UINT8]: 'uint8', [TensorType.INT8]: 'int8' };

export function importTflite(bytes: Uint8Array, options: TfliteImportOptions = {}): Model {
  const source = options.source ?? '<bytes>';
  const tfl = readTflite(bytes, source);
  const model = new Importer(tfl, source).run(options);
  if (options.uint8Weights !== 'symmetric-int8') return model;
  const r = symmetrizeUint8Weights(model);
  if (r.totalChannels === 0) return model;
  r.model.metadata = { ...r.model.metadata, extra: { ...r.model.metadata.extra, 'tflite.uint8Weights': `symmetric int8, ${r.rescaledChannels} of ${r.totalChannels} channels rescaled` } };
  return r.model;
}

class Importer {
  private readonly g: TfliteSubGraph;
  /** TFLite tensor index -> Model tensor index */
  private readonly remap = new Map<number, number>();
  private readonly tensors: TensorDef[] = [];
  private readonly buffers: Uint8Array[] = [];

  constructor(private readonly tfl: TfliteModel, private readonly source: string) {
    if (tfl.subgraphs.length === 0) this.bad('subgraphs', 'the model has no subgraph');
    this.g = tfl.subgraphs[0];
  }

  private bad(where: string, why: string, code: ConvertErrorCode = 'BAD_TFLITE'): never {
    throw new ConvertError(code, `${this.source}: ${where}: ${why}`);
  }

  run(options: TfliteImportOptions): Model {
    const g = this.g;
    this.checkOps();
    const inputs = g.inputs.map((i) => this.use(i, 'subgraph input'));
    const ops = g.operators.map((op, i) => this.convertOp(op, i));
    const outputs = g.outputs.map((i) => this.use(i, 'subgraph output'));
    const inputDef = this.tensors[inputs[0]];
    const preprocessing = options.preprocessing ?? (inputs.length === 1 && inputDef.dtype === 'uint8' ? identityPreprocessing(inputDef.shape) : undefined);
    return {
      version: FORMAT_VERSION,
      tensors: this.tensors,
      buffers: this.buffers,
      ops,
      inputs,
      outputs,
      metadata: {
        producer: 'wasmq importTflite',
        calibrationMethod: 'imported:tflite',
        ...(preprocessing && { preprocessing }),
        ...(options.labels && { labels: options.labels.slice() }),
        extra: { 'tflite.schemaVersion': String(this.tfl.version), ...(this.tfl.description && { 'tflite.description': this.tfl.description }) },
      },
    };
  }

  /** Every op's code is known and supported; otherwise one error that names all unsupported ops. */
  private checkOps(): void {
    const unsupported: string[] = [];
    this.g.operators.forEach((op, i) => {
      const code = this.tfl.operatorCodes[op.opcodeIndex];
      if (!code) this.bad(`op ${i}`, `opcode_index ${op.opcodeIndex} is outside the ${this.tfl.operatorCodes.length} operator codes`);
      if (!SUPPORTED.has(code.builtinCode)) {
        const name = code.builtinCode === Builtin.CUSTOM ? `CUSTOM '${code.customCode}'` : builtinName(code.builtinCode);
        unsupported.push(`${name} (op ${i})`);
      }
    });
    if (unsupported.length > 0) {
      this.bad('ops', `${unsupported.length} unsupported op(s): ${unsupported.join(', ')}`, 'UNSUPPORTED_OPS');
    }
  }

  private tflTensor(index: number, where: string): TfliteTensor {
    const t = this.g.tensors[index];
    if (!Number.isInteger(index) || !t) this.bad(where, `tensor index ${index} is outside the ${this.g.tensors.length} tensors`);
    return t;
  }

  /** The Model index of TFLite tensor `index`, converting it on first use. */
  private use(index: number, where: string): number {
    const known = this.remap.get(index);
    if (known !== undefined) return known;
    const t = this.tflTensor(index, where);
    const what = `tensor ${index} '${t.name}'`;
    const dtype = DTYPES[t.type];
    if (!dtype) this.bad(what, `type ${tensorTypeName(t.type)} is not supported (int8, uint8, int32, float32)`, 'UNSUPPORTED_TYPE');
    if (t.isSparse) this.bad(what, 'sparse tensors are not supported', 'UNSUPPORTED_TYPE');
    if (t.isVariable) this.bad(what, 'variable tensors are not supported', 'UNSUPPORTED_TYPE');
    const count = elementCount(t.shape, () => this.bad(what, `shape [${t.shape}] is not a list of non-negative sizes`));
    const def: TensorDef = { name: t.name || `t${index}`, shape: t.shape.slice(), dtype };
    const quant = this.quantization(t, what);
    if (quant) def.quant = quant;
    const data = this.tfl.buffers[t.buffer];
    if (data === undefined) this.bad(what, `buffer index ${t.buffer} is outside the ${this.tfl.buffers.length} buffers`);
    if (data.length > 0) {
      if (data.length !== count * DTYPE_SIZE[dtype]) {
        this.bad(what, `buffer ${t.buffer} holds ${data.length} bytes, shape [${t.shape}] of ${dtype} needs ${count * DTYPE_SIZE[dtype]}`);
      }
      def.buffer = this.buffers.length;
      this.buffers.push(new Uint8Array(data)); // a copy: the Model never aliases the caller's bytes
    }
    this.remap.set(index, this.tensors.length);
    this.tensors.push(def);
    return this.tensors.length - 1;
  }

  private quantization(t: TfliteTensor, what: string): Quantization | undefined {
    const q = t.quantization;
    if (!q || q.scale.length === 0) return undefined;
    if (q.hasDetails) this.bad(what, 'custom quantization details are not supported', 'UNSUPPORTED_TYPE');
    const n = q.scale.length;
    if (q.zeroPoint.length !== n) this.bad(`${what} quantization`, `${n} scales but ${q.zeroPoint.length} zero points`);
    const axis = n === 1 ? -1 : q.quantizedDimension;
    if (axis !== -1 && !(axis >= 0 && axis < t.shape.length && t.shape[axis] === n)) {
      this.bad(`${what} quantization`, `${n} scales do not match dimension ${q.quantizedDimension} of shape [${t.shape}]`);
    }
    const range = t.type === TensorType.UINT8 ? [0, 255] : t.type === TensorType.INT8 ? [-128, 127] : [-(2 ** 31), 2 ** 31 - 1];
    for (let i = 0; i < n; i++) {
      if (!(q.scale[i] > 0 && Number.isFinite(q.scale[i]))) this.bad(`${what} quantization`, `scale[${i}] = ${q.scale[i]} is not a positive finite number`);
      if (!(q.zeroPoint[i] >= range[0] && q.zeroPoint[i] <= range[1])) this.bad(`${what} quantization`, `zero point[${i}] = ${q.zeroPoint[i]} is outside [${range}]`);
    }
    return { scales: Float32Array.from(q.scale), zeroPoints: Int32Array.from(q.zeroPoint), axis };
  }

  /** Integer values of a constant int32 / int64 operand (RESHAPE shape, MEAN axes, PAD paddings). */
  private constInts(index: number, where: string): { values: number[]; shape: number[] } {
    const t = this.tflTensor(index, where);
    const data = this.tfl.buffers[t.buffer];
    if (!data || data.length === 0) this.bad(where, `tensor ${index} '${t.name}' must be a constant`, 'UNSUPPORTED_OPS');
    const width = t.type === TensorType.INT32 ? 4 : t.type === TensorType.INT64 ? 8 : 0;
    if (width === 0) this.bad(where, `tensor ${index} '${t.name}' must be int32 or int64, not ${tensorTypeName(t.type)}`);
    const count = elementCount(t.shape, () => this.bad(where, `constant shape [${t.shape}] is invalid`));
    if (data.length !== count * width) this.bad(where, `constant tensor ${index} holds ${data.length} bytes for ${count} ${tensorTypeName(t.type)} values`);
    const dv = new DataView(data.buffer, data.byteOffset, data.byteLength);
    const values = Array.from({ length: count }, (_, i) => (width === 4 ? dv.getInt32(4 * i, true) : Number(dv.getBigInt64(8 * i, true))));
    return { values, shape: t.shape };
  }

  private convertOp(op: TfliteOperator, i: number): OpDef {
    const code = this.tfl.operatorCodes[op.opcodeIndex].builtinCode;
    const opName = builtinName(code);
    const where = `op ${i} (${opName})`;
    const o = op.options;
    const expectInputs = (min: number, max = min) => {
      if (op.inputs.length < min || op.inputs.length > max) this.bad(where, `has ${op.inputs.length} inputs, expected ${min === max ? min : `${min} to ${max}`}`);
      if (op.outputs.length !== 1) this.bad(where, `has ${op.outputs.length} outputs, expected 1`);
      for (let k = 0; k < min; k++) if (op.inputs[k] < 0) this.bad(where, `input ${k} is missing (-1)`);
    };
    const shapeOf = (tflIndex: number) => this.tflTensor(tflIndex, where).shape;
    const data = (...ks: number[]) => ks.filter((k) => op.inputs[k] !== undefined && op.inputs[k] >= 0).map((k) => this.use(op.inputs[k], where));
    const out = () => [this.use(op.outputs[0], where)];
    const name = this.tflTensor(op.outputs[0] ?? -1, where).name || undefined;
    const activation = () => this.activation(o.activation ?? 0, where);
    const needOptions = (type: number) => {
      if (o.type !== type) this.bad(where, `builtin options of type ${o.type}, expected ${type}`);
    };

    switch (code) {
      case Builtin.CONV_2D:
      case Builtin.DEPTHWISE_CONV_2D: {
        expectInputs(2, 3);
        const depthwise = code === Builtin.DEPTHWISE_CONV_2D;
        needOptions(depthwise ? 2 : 1);
        const x = shapeOf(op.inputs[0]), w = shapeOf(op.inputs[1]), y = shapeOf(op.outputs[0]);
        if (x.length !== 4 || w.length !== 4 || y.length !== 4) this.bad(where, `input [${x}], weights [${w}] and output [${y}] must be 4-D`);
        const pads = this.windowPads(where, o.padding!, x, y, w[1], w[2], o.strideH!, o.strideW!, o.dilationH!, o.dilationW!);
        const base = { ...pads, strideH: o.strideH!, strideW: o.strideW!, dilationH: o.dilationH!, dilationW: o.dilationW!, activation: activation() };
        if (!depthwise) {
          if (w[3] !== x[3] || w[0] !== y[3]) this.bad(where, `weights [${w}] do not fit input [${x}] and output [${y}] (OHWI)`);
          return { kind: 'Conv2D', name, inputs: data(0, 1, 2), outputs: out(), options: base };
        }
        // TFLite ignores the stored depth_multiplier in newer versions: the shapes decide.
        if (w[0] !== 1 || w[3] !== y[3] || x[3] === 0 || w[3] % x[3] !== 0) this.bad(where, `weights [${w}] do not fit input [${x}] and output [${y}] (1HWC)`);
        return { kind: 'DepthwiseConv2D', name, inputs: data(0, 1, 2), outputs: out(), options: { ...base, depthMultiplier: w[3] / x[3] } };
      }
      case Builtin.AVERAGE_POOL_2D:
      case Builtin.MAX_POOL_2D: {
        expectInputs(1);
        needOptions(5);
        const x = shapeOf(op.inputs[0]), y = shapeOf(op.outputs[0]);
        if (x.length !== 4 || y.length !== 4 || x[3] !== y[3]) this.bad(where, `input [${x}] and output [${y}] must be 4-D with equal channels`);
        const pads = this.windowPads(where, o.padding!, x, y, o.filterH!, o.filterW!, o.strideH!, o.strideW!, 1, 1);
        const options = { ...pads, filterH: o.filterH!, filterW: o.filterW!, strideH: o.strideH!, strideW: o.strideW!, activation: activation() };
        return code === Builtin.MAX_POOL_2D
          ? { kind: 'MaxPool2D', name, inputs: data(0), outputs: out(), options }
          : { kind: 'AveragePool2D', name, inputs: data(0), outputs: out(), options };
      }
      case Builtin.FULLY_CONNECTED:
        expectInputs(2, 3);
        needOptions(8);
        if (o.weightsFormat) this.bad(where, `weights format ${o.weightsFormat} (shuffled) is not supported`, 'UNSUPPORTED_OPS');
        return { kind: 'FullyConnected', name, inputs: data(0, 1, 2), outputs: out(), options: { activation: activation() } };
      case Builtin.ADD:
      case Builtin.MUL:
        expectInputs(2);
        needOptions(code === Builtin.ADD ? 11 : 21);
        return { kind: code === Builtin.ADD ? 'Add' : 'Mul', name, inputs: data(0, 1), outputs: out(), options: { activation: activation() } } as OpDef;
      case Builtin.CONCATENATION: {
        if (op.inputs.length < 1) this.bad(where, 'has no inputs');
        expectInputs(op.inputs.length);
        needOptions(10);
        const rank = shapeOf(op.outputs[0]).length;
        const axis = o.axis! < 0 ? o.axis! + rank : o.axis!;
        if (!(axis >= 0 && axis < rank)) this.bad(where, `axis ${o.axis} is outside rank ${rank}`);
        return { kind: 'Concatenation', name, inputs: data(...op.inputs.map((_, k) => k)), outputs: out(), options: { axis, activation: activation() } };
      }
      case Builtin.MEAN: {
        expectInputs(2);
        needOptions(27);
        const rank = shapeOf(op.inputs[0]).length;
        const axes = this.constInts(op.inputs[1], `${where} axes`).values.map((a) => (a < 0 ? a + rank : a));
        if (axes.some((a) => !(a >= 0 && a < rank))) this.bad(where, `axes [${axes}] are outside rank ${rank}`);
        return { kind: 'Mean', name, inputs: data(0), outputs: out(), options: { axes: [...new Set(axes)].sort((a, b) => a - b), keepDims: o.keepNumDims ?? false } };
      }
      case Builtin.PAD: {
        expectInputs(2);
        const rank = shapeOf(op.inputs[0]).length;
        const { values, shape } = this.constInts(op.inputs[1], `${where} paddings`);
        if (shape.length !== 2 || shape[0] !== rank || shape[1] !== 2) this.bad(where, `paddings of shape [${shape}] do not match rank ${rank}`);
        if (values.some((v) => v < 0)) this.bad(where, `paddings [${values}] must not be negative`);
        return { kind: 'Pad', name, inputs: data(0), outputs: out(), options: { pads: values } };
      }
      case Builtin.RESHAPE:
      case Builtin.SQUEEZE:
        // The output tensor's shape is the result; the shape operand (if any) is dropped.
        expectInputs(1, 2);
        return { kind: 'Reshape', name, inputs: data(0), outputs: out(), options: {} };
      case Builtin.SOFTMAX:
        expectInputs(1);
        needOptions(9);
        return { kind: 'Softmax', name, inputs: data(0), outputs: out(), options: { beta: o.beta! } };
      default: {
        expectInputs(1);
        const kind = ({
          [Builtin.QUANTIZE]: 'Quantize', [Builtin.DEQUANTIZE]: 'Dequantize', [Builtin.LOGISTIC]: 'Logistic',
          [Builtin.HARD_SWISH]: 'HardSwish', [Builtin.RELU]: 'Relu', [Builtin.RELU6]: 'Relu6',
        } as Record<number, 'Quantize' | 'Dequantize' | 'Logistic' | 'HardSwish' | 'Relu' | 'Relu6'>)[code];
        if (!kind) this.bad(where, 'is not supported', 'UNSUPPORTED_OPS');
        return { kind, name, inputs: data(0), outputs: out(), options: {} };
      }
    }
  }

  private activation(code: number, where: string): Activation {
    if (code === 0) return 'none';
    if (code === 1) return 'relu';
    if (code === 3) return 'relu6';
    const names = ['NONE', 'RELU', 'RELU_N1_TO_1', 'RELU6', 'TANH', 'SIGN_BIT'];
    return this.bad(where, `fused activation ${names[code] ?? code} is not supported (NONE, RELU, RELU6)`, 'UNSUPPORTED_OPS');
  }

  /** Explicit pads for a conv / pool window, checking the declared output size against TFLite's. */
  private windowPads(where: string, padding: number, x: number[], y: number[], kh: number, kw: number, sh: number, sw: number, dh: number, dw: number): Padding4 {
    for (const [v, what] of [[kh, 'filter height'], [kw, 'filter width'], [sh, 'stride h'], [sw, 'stride w'], [dh, 'dilation h'], [dw, 'dilation w']] as const) {
      if (!(Number.isInteger(v) && v >= 1)) this.bad(where, `${what} ${v} must be a positive integer`);
    }
    if (padding !== 0 && padding !== 1) this.bad(where, `padding ${padding} is neither SAME (0) nor VALID (1)`);
    const ph = tflitePadding(padding, x[1], kh, sh, dh), pw = tflitePadding(padding, x[2], kw, sw, dw);
    if (ph.out !== y[1] || pw.out !== y[2] || x[0] !== y[0]) {
      this.bad(where, `output [${y}] does not match the ${padding === 0 ? 'SAME' : 'VALID'} window over input [${x}] (expected ${ph.out}x${pw.out})`);
    }
    return { padTop: ph.before, padBottom: ph.after, padLeft: pw.before, padRight: pw.after };
  }
}

function elementCount(shape: number[], fail: () => never): number {
  let n = 1;
  for (const d of shape) {
    if (!(Number.isInteger(d) && d >= 0)) fail();
    n *= d;
  }
  if (n > 2 ** 31) fail();
  return n;
}

/** uint8 image input: the bytes are the quantized input as they are (see TfliteImportOptions.preprocessing). */
function identityPreprocessing(shape: number[]): Preprocessing {
  const channels = shape.length === 4 ? shape[3] : 1;
  return { layout: 'NHWC', mean: new Array(channels).fill(0), std: new Array(channels).fill(1), pixelScale: 1 };
}
