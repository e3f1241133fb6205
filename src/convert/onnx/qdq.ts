// ONNX QDQ models (QuantizeLinear/DequantizeLinear around weights and activations, as quantization-aware
// training and onnxruntime's quantize_static write them) → the float IR annotated with the model's own
// quantization, so no calibration is needed:
//  - DequantizeLinear of a constant (int8/uint8 weights, int32 biases), or QuantizeLinear→DequantizeLinear of a
//    float constant, becomes the float constant scale * (q - zp); 8-bit weights keep their parameters
//    (IrTensor.quant), and `weightQuant` records them by consuming node, which passes keep through renames;
//  - a QuantizeLinear→DequantizeLinear pair on an activation disappears, leaving its parameters on the float
//    tensor (IrTensor.quant, uint8 zero points shifted by -128 to the int8 the runtime uses).
// The rest of the graph then goes through the ordinary import and passes; quantizeModel's `fixed` option uses
// the annotations in place of calibrated ranges.
import type { Quantization } from '../../format/model.js';
import type { Graph } from '../ir/graph.js';
import { ConvertError } from '../ir/errors.js';
import { importModelProto, type ImportOptions } from './import.js';
import { Attributes } from './attributes.js';
import { tensorProto } from './builder.js';
import { decodeModelProto, type ModelProto, type NodeProto, type TensorProto } from './proto.js';
import { tensorFromProto } from './tensor.js';

const FLOAT = 1, UINT8 = 2, INT8 = 3, INT32 = 6;

export interface QdqImport {
  graph: Graph;
  /** imported weight parameters by the name of the node using them (Conv, Gemm, MatMul) */
  weightQuant: Map<string, Quantization>;
}

/** Is this a QDQ model (a QuantizeLinear or DequantizeLinear node, and no QLinear* / *Integer operator)? */
export function isQdqModel(m: ModelProto): boolean {
  const ops = new Set((m.graph?.node ?? []).map((n) => n.opType ?? ''));
  return (ops.has('QuantizeLinear') || ops.has('DequantizeLinear'))
    && !['QLinearConv', 'QLinearMatMul', 'ConvInteger', 'MatMulInteger', 'DynamicQuantizeLinear'].some((o) => ops.has(o));
}

interface Params { q: Quantization; type: number }

export function importQdqOnnx(bytes: Uint8Array, options: ImportOptions = {}): QdqImport {
  return importQdqModelProto(decodeModelProto(bytes, options.source), options);
}

export function importQdqModelProto(m: ModelProto, options: ImportOptions = {}): QdqImport {
  const gp = m.graph;
  if (!gp) throw new ConvertError('MALFORMED_ONNX', `${options.source ?? 'model'}: no graph`);
  const label = (n: NodeProto) => `node '${n.name}' (${n.opType})`;
  const inits = new Map<string, TensorProto>(gp.initializer.map((t) => [t.name ?? '', t]));
  gp.node.forEach((n) => { if (n.opType === 'Constant' && n.output[0]) { const t = new Attributes(n, label(n)).tensor('value'); if (t) inits.set(n.output[0], t); } });
  const constant = (name: string) => { const p = inits.get(name); return p ? { p, t: tensorFromProto(p, name) } : undefined; };

  /** The scale / zero point inputs of a Q or DQ node. */
  const paramsOf = (n: NodeProto): Params => {
    const where = label(n);
    const a = new Attributes(n, where);
    if (a.int('block_size', 0) !== 0) throw new ConvertError('UNSUPPORTED_TYPE', `${where}: blocked quantization is not supported`);
    const s = constant(n.input[1] ?? '');
    if (!s) throw new ConvertError('NOT_CONSTANT', `${where}: scale '${n.input[1]}' must be constant`);
    if (s.p.dataType !== FLOAT) throw new ConvertError('UNSUPPORTED_TYPE', `${where}: scale is not float32 (data type ${s.p.dataType}); wasmq reads float32 scales`);
    const z = n.input[2] ? constant(n.input[2]) : undefined;
    if (n.input[2] && !z) throw new ConvertError('NOT_CONSTANT', `${where}: zero point '${n.input[2]}' must be constant`);
    const type = z?.p.dataType ?? (n.opType === 'QuantizeLinear' ? a.int('output_dtype', UINT8) : UINT8);
    const scales = Float32Array.from(s.t.data!);
    for (const v of scales) if (!(v > 0) || !Number.isFinite(v)) throw new ConvertError('BAD_QUANT', `${where}: scale ${v} must be finite and > 0`);
    const zeroPoints = z ? Int32Array.from(z.t.data!) : new Int32Array(scales.length);
    if (zeroPoints.length !== scales.length) throw new ConvertError('BAD_QUANT', `${where}: ${zeroPoints.length} zero points for ${scales.length} scales`);
    return { q: { scales, zeroPoints, axis: scales.length === 1 ? -1 : a.int('axis', 1) }, type };
  };

  const weights = new Map<string, Quantization>(); // float constant name → its 8-bit parameters
  const activations = new Map<string, Quantization>();
  const newInits: TensorProto[] = [];
  const rename = new Map<string, string>(); // DQ output → the tensor that replaces it
  const drop = new Set<NodeProto>();
  const producers = new Map<string, NodeProto>();
  for (const n of gp.node) for (const o of n.output) producers.set(o, n);
  const readers = (name: string) => gp.node.filter((n) => n.input.includes(name));

  /** A float constant `name` = scale * (q - zp) along the quantized axis. */
  const dequantized = (name: string, q: ArrayLike<number>, dims: number[], p: Quantization) => {
    const axis = p.axis < 0 ? p.axis + dims.length : p.axis;
    const inner = dims.slice(axis + 1).reduce((x, d) => x * d, 1);
    const out = new Float32Array(q.length);
    for (let i = 0; i < q.length; i++) {
      const c = p.scales.length === 1 ? 0 : Math.floor(i / inner) % p.scales.length;
      out[i] = p.scales[c] * (q[i] - p.zeroPoints[c]);
    }
    newInits.push(tensorProto(name, { dims, data: out }));
  };

  for (const dq of gp.node) {
    if (dq.opType !== 'DequantizeLinear') continue;
    const where = label(dq);
    const x = dq.input[0], y = dq.output[0];
    const p = paramsOf(dq);
    const c = constant(x);
    const q = producers.get(x);
    if (c) {
      // weights or bias stored quantized
      if (c.p.dataType !== INT8 && c.p.dataType !== UINT8 && c.p.dataType !== INT32) throw new ConvertError('UNSUPPORTED_TYPE', `${where}: constant '${x}' has data type ${c.p.dataType}; wasmq reads int8, uint8 and int32`);
      dequantized(y, c.t.data!, c.t.shape!, p.q);
      if (c.p.dataType !== INT32) weights.set(y, { ...p.q, axis: p.q.axis < 0 ? -1 : (p.q.axis + c.t.shape!.length) % c.t.shape!.length });
      drop.add(dq);
    } else if (q?.opType === 'QuantizeLinear') {
      const qp = paramsOf(q);
      if (qp.q.scales.length !== p.q.scales.length || qp.q.scales.some((s, i) => s !== p.q.scales[i]) || qp.q.zeroPoints.some((z, i) => z !== p.q.zeroPoints[i])) {
        throw new ConvertError('BAD_QUANT', `${where}: its parameters differ from those of ${label(q)}`);
      }
      if (qp.type !== INT8 && qp.type !== UINT8) throw new ConvertError('UNSUPPORTED_TYPE', `${label(q)}: output type ${qp.type} (wasmq supports int8 and uint8)`);
      const src = q.input[0];
      const fc = constant(src);
      drop.add(dq);
      drop.add(q);
      if (fc) {
        // float weights quantized in the graph (QAT export): round as QuantizeLinear does (half to even, saturate)
        const [lo, hi] = qp.type === INT8 ? [-128, 127] : [0, 255];
        const dims = fc.t.shape!, axis = qp.q.axis < 0 ? -1 : (qp.q.axis + dims.length) % dims.length;
        const inner = axis < 0 ? 1 : dims.slice(axis + 1).reduce((a, d) => a * d, 1);
        const ints = Array.from(fc.t.data!, (v, i) => {
          const ch = qp.q.scales.length === 1 ? 0 : Math.floor(i / inner) % qp.q.scales.length;
          return Math.max(lo, Math.min(hi, roundHalfEven(Math.fround(v / qp.q.scales[ch])) + qp.q.zeroPoints[ch]));
        });
        dequantized(y, ints, dims, qp.q);
        weights.set(y, { ...qp.q, axis });
        continue;
      }
      if (qp.q.scales.length !== 1) throw new ConvertError('BAD_QUANT', `${where}: per-axis quantization of activation '${src}' is not supported (wasmq quantizes activations per tensor)`);
      const shift = qp.type === UINT8 ? 128 : 0;
      activations.set(src, { scales: qp.q.scales, zeroPoints: Int32Array.of(qp.q.zeroPoints[0] - shift), axis: -1 });
      rename.set(y, src);
    } else {
      throw new ConvertError('UNSUPPORTED_OPS', `${where}: DequantizeLinear of '${x}' that is neither a constant nor a QuantizeLinear output is not supported`);
    }
  }
  for (const n of gp.node) {
    if (n.opType === 'QuantizeLinear' && !drop.has(n)) throw new ConvertError('UNSUPPORTED_OPS', `${label(n)}: a QuantizeLinear whose output is not only dequantized again is not supported`);
    if (n.opType === 'QuantizeLinear' && readers(n.output[0]).some((r) => r.opType !== 'DequantizeLinear')) {
      throw new ConvertError('UNSUPPORTED_OPS', `${label(n)}: its 8-bit output is read by a node other than DequantizeLinear`);
    }
  }

  // Graph outputs keep their names: a removed pair in front of an output renames the producer's tensor instead.
  const outputs = new Set(gp.output.map((o) => o.name ?? ''));
  const inputs = new Set(gp.input.map((i) => i.name ?? ''));
  for (const [y, src] of [...rename]) {
    if (!outputs.has(y)) continue;
    if (inputs.has(src) || outputs.has(src)) throw new ConvertError('UNSUPPORTED_OPS', `QDQ pair from '${src}' to graph output '${y}' with no op in between is not supported`);
    rename.delete(y);
    for (const n of gp.node) { n.output = n.output.map((o) => (o === src ? y : o)); }
    rename.set(src, y);
    activations.set(y, activations.get(src)!);
    activations.delete(src);
  }
  const resolve = (name: string) => rename.get(name) ?? name;
  const nodes = gp.node.filter((n) => !drop.has(n)).map((n) => ({ ...n, input: n.input.map(resolve) }));
  const used = new Set(nodes.flatMap((n) => n.input));
  const stripped: ModelProto = {
    ...m,
    graph: { ...gp, node: nodes, initializer: [...gp.initializer.filter((t) => used.has(t.name ?? '')), ...newInits.filter((t) => used.has(t.name ?? ''))] },
  };
  const graph = importModelProto(stripped, options);
  for (const [name, q] of activations) { const t = graph.tensors.get(name); if (t) t.quant = q; }

  // weight parameters by consuming node, with the quantized axis checked to be its output channel
  const weightQuant = new Map<string, Quantization>();
  for (const node of graph.nodes) {
    const w = node.inputs[1];
    const q = w ? weights.get(w) : undefined;
    if (!q) continue;
    const t = graph.tensors.get(w)!;
    t.quant = q;
    const outAxis = node.op === 'Conv' ? 0 : node.op === 'Gemm' ? (node.attrs.transB ? 0 : 1) : node.op === 'MatMul' ? 1 : undefined;
    if (outAxis === undefined) throw new ConvertError('UNSUPPORTED_OPS', `${node.op} node '${node.name}': quantized constant input '${w}' (only Conv, Gemm and MatMul weights are supported)`);
    if (q.axis !== -1 && q.axis !== outAxis) throw new ConvertError('BAD_QUANT', `${node.op} node '${node.name}': weights '${w}' are quantized along axis ${q.axis}, not the output-channel axis ${outAxis}`);
    weightQuant.set(node.name, q);
  }
  return { graph, weightQuant };
}

function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return r - x === 0.5 && r % 2 !== 0 ? r - 1 : r;
}
