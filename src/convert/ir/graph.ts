// The float graph IR between import and quantization. Tensors are named; constants carry their data; nodes are
// kept in execution (topological) order. Before the layout pass activations are NCHW (ONNX); after it NHWC with
// conv weights OHWI, depthwise weights 1HWC and fully-connected weights [N, K], as src/format/model.ts expects.
import type { Quantization } from '../../format/model.js';
import { ConvertError } from './errors.js';

/** Element types in the IR. Integer tensors only exist as constants or shape computations. */
export type IrDType = 'float32' | 'float64' | 'int64' | 'int32' | 'int8' | 'uint8' | 'bool';

/** Float tensors hold Float32Array (float32) or Float64Array (float64); every integer type holds Float64Array. */
export type TensorData = Float32Array | Float64Array;

export interface IrTensor {
  name: string;
  dtype: IrDType;
  /** known after shape inference; always known for constants and graph inputs */
  shape?: number[];
  /** constant value (initializer, Constant node, or folded) */
  data?: TensorData;
  /** per-tensor or per-channel quantization annotation (scale, zero point, axis) from a QDQ model or calibration */
  quant?: Quantization;
}

/** A fused activation applied to an op's output. */
export type IrActivation = 'none' | 'relu' | 'relu6' | 'hardswish';

/** Spatial padding of 2D convs and pools: [top, left, bottom, right] (ONNX's begin..., end... order). */
export type Pads2D = [number, number, number, number];

export type AutoPad = 'NOTSET' | 'SAME_UPPER' | 'SAME_LOWER' | 'VALID';

export interface ConvAttrs {
  strides: [number, number];
  dilations: [number, number];
  pads: Pads2D;
  autoPad: AutoPad;
  group: number;
  activation: IrActivation;
}

export interface PoolAttrs {
  kernel: [number, number];
  strides: [number, number];
  pads: Pads2D;
  autoPad: AutoPad;
  ceilMode: boolean;
  countIncludePad: boolean;
  activation: IrActivation;
}

/**
 * Every IR op with its attributes. Inputs are tensor names ('' = absent optional input).
 *   Conv            [x, w (OIHW | OHWI), b?]       NCHW: grouped conv; NHWC: group 1 or grouped, weights OHWI
 *   DepthwiseConv   [x, w (1HWC), b?]              NHWC only (made by the layout pass)
 *   FullyConnected  [x [.., K], w [N, K], b? [N]]  y = x w^T + b over the last dimension
 *   Gemm, MatMul    ONNX semantics (become FullyConnected where B is constant)
 *   BatchNorm       [x, scale, bias, mean, var]    channel axis 1 (NCHW) or last (NHWC)
 *   Reshape         [x, shape?]                    attrs.shape (full static target) once resolved
 *   Pad             [x, pads?, value?]             attrs.pads in ONNX order [begin_0.., end_0..]
 *   Clip            [x, min?, max?]                attrs.min/max once resolved
 *   Mean, Squeeze, Unsqueeze: [x, axes?]           attrs.axes once resolved
 * Shape, Gather, Slice, Cast, Sub, Div, ConstantOfShape exist only to be constant-folded.
 */
export interface IrAttrsByOp {
  Conv: ConvAttrs;
  DepthwiseConv: ConvAttrs & { depthMultiplier: number };
  FullyConnected: { activation: IrActivation };
  Gemm: { alpha: number; beta: number; transA: boolean; transB: boolean };
  MatMul: Record<string, never>;
  BatchNorm: { epsilon: number };
  Add: { activation: IrActivation };
  Mul: { activation: IrActivation };
  Sub: Record<string, never>;
  Div: Record<string, never>;
  Relu: Record<string, never>;
  Relu6: Record<string, never>;
  Clip: { min?: number; max?: number };
  LeakyRelu: { alpha: number };
  Sigmoid: Record<string, never>;
  HardSigmoid: { alpha: number; beta: number };
  HardSwish: Record<string, never>;
  Tanh: Record<string, never>;
  Concat: { axis: number };
  MaxPool: PoolAttrs;
  AveragePool: PoolAttrs;
  Mean: { axes?: number[]; keepDims: boolean; noopWithEmptyAxes: boolean };
  Reshape: { shape?: number[]; allowZero: boolean };
  Flatten: { axis: number };
  Squeeze: { axes?: number[] };
  Unsqueeze: { axes?: number[] };
  Transpose: { perm?: number[] };
  Pad: { pads?: number[]; value: number };
  /** legacy (opset < 13): softmax over the block of dimensions [axis, rank) */
  Softmax: { axis: number; legacy: boolean };
  Identity: Record<string, never>;
  Dropout: Record<string, never>;
  Shape: { start: number; end?: number };
  Gather: { axis: number };
  Slice: { starts?: number[]; ends?: number[]; axes?: number[]; steps?: number[] };
  Cast: { to: IrDType };
  ConstantOfShape: { value: number; dtype: IrDType };
}

export type IrOpKind = keyof IrAttrsByOp;

export type IrNode = {
  [K in IrOpKind]: { name: string; op: K; inputs: string[]; outputs: string[]; attrs: IrAttrsByOp[K] };
}[IrOpKind];

export type IrNodeOf<K extends IrOpKind> = Extract<IrNode, { op: K }>;

export type Layout = 'NCHW' | 'NHWC';

export interface Graph {
  layout: Layout;
  tensors: Map<string, IrTensor>;
  nodes: IrNode[];
  inputs: string[];
  outputs: string[];
  /** the default-domain opset the model was written for */
  opset: number;
  /** model metadata_props, producer */
  metadata: Record<string, string>;
}

export function tensorOf(g: Graph, name: string, where = ''): IrTensor {
  const t = g.tensors.get(name);
  if (!t) throw new ConvertError('DANGLING_EDGE', `${where ? where + ': ' : ''}tensor '${name}' is not defined`);
  return t;
}

/** The tensor's shape, or a DYNAMIC_SHAPE error naming it (call after shape inference). */
export function shapeOf(g: Graph, name: string): number[] {
  const s = tensorOf(g, name).shape;
  if (!s) throw new ConvertError('DYNAMIC_SHAPE', `tensor '${name}' has no inferred shape`);
  return s;
}

export function isConstant(g: Graph, name: string): boolean {
  return name !== '' && g.tensors.get(name)?.data !== undefined;
}

/** Nodes reading each tensor, and graph outputs counted as a consumer named ''. */
export function consumerCount(g: Graph, name: string): number {
  let n = g.outputs.includes(name) ? 1 : 0;
  for (const node of g.nodes) for (const i of node.inputs) if (i === name) n++;
  return n;
}

export function consumersOf(g: Graph, name: string): IrNode[] {
  return g.nodes.filter((n) => n.inputs.includes(name));
}

export function producerOf(g: Graph, name: string): IrNode | undefined {
  return g.nodes.find((n) => n.outputs.includes(name));
}

export function numel(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** A deep copy: passes return new graphs and never mutate the one they were given. */
export function cloneGraph(g: Graph): Graph {
  const tensors = new Map<string, IrTensor>();
  for (const [k, t] of g.tensors) {
    tensors.set(k, { ...t, shape: t.shape ? [...t.shape] : undefined, data: t.data?.slice(), quant: t.quant });
  }
  return {
    layout: g.layout, tensors, inputs: [...g.inputs], outputs: [...g.outputs], opset: g.opset,
    metadata: { ...g.metadata },
    nodes: g.nodes.map((n) => ({ ...n, inputs: [...n.inputs], outputs: [...n.outputs], attrs: structuredClone(n.attrs) }) as IrNode),
  };
}

/** A tensor name not yet used in the graph, derived from `base`. */
export function freshName(g: Graph, base: string): string {
  if (!g.tensors.has(base)) return base;
  for (let i = 1; ; i++) if (!g.tensors.has(`${base}_${i}`)) return `${base}_${i}`;
}

/** Adds a constant tensor under a fresh name and returns the name. */
export function addConstant(g: Graph, base: string, shape: number[], data: TensorData, dtype: IrDType = 'float32'): string {
  const name = freshName(g, base);
  g.tensors.set(name, { name, dtype, shape: [...shape], data });
  return name;
}

/** Drops tensors that no node, graph input or output refers to. */
export function pruneTensors(g: Graph): void {
  const used = new Set<string>([...g.inputs, ...g.outputs]);
  for (const n of g.nodes) for (const t of [...n.inputs, ...n.outputs]) used.add(t);
  for (const k of [...g.tensors.keys()]) if (!used.has(k)) g.tensors.delete(k);
}

/** Drops nodes none of whose outputs is used (repeatedly), then unused tensors. */
export function removeDeadNodes(g: Graph): void {
  for (;;) {
    const used = new Set<string>(g.outputs);
    for (const n of g.nodes) for (const i of n.inputs) used.add(i);
    const before = g.nodes.length;
    g.nodes = g.nodes.filter((n) => n.outputs.some((o) => used.has(o)));
    if (g.nodes.length === before) break;
  }
  pruneTensors(g);
}

/** Makes every reader of `from` (and the graph outputs) read `to` instead. */
export function replaceUses(g: Graph, from: string, to: string): void {
  for (const n of g.nodes) n.inputs = n.inputs.map((i) => (i === from ? to : i));
  g.outputs = g.outputs.map((o) => (o === from ? to : o));
}
