// ONNX graphs made of quantized operators (QuantizeLinear, DequantizeLinear, QLinearConv, QLinearMatMul,
// ConvInteger, MatMulInteger) → the int8 Model directly, with the model's own scales and zero points (no
// calibration). ConvInteger / MatMulInteger outputs are float32 tensors holding the exact int32 accumulators. uint8 stays uint8 in
// the Model (the runtime normalizes it to int8 exactly). Rank-4 activations are NHWC in the Model (inputs and
// outputs too, as everywhere in wasmq); per-axis axes are remapped accordingly.
// `constants` binds graph inputs to fixed tensors (ONNX's node tests feed scales, zero points and weights as
// inputs). Types wasmq has no kernels for (int4/int2/int16/float8/float4, float16 scales, blocked quantization)
// are refused with UNSUPPORTED_TYPE naming the type, before any work.
import type { DType, Model, OpDef, Quantization, TensorDef } from '../../format/model.js';
import { ConvertError } from '../ir/errors.js';
import { Attributes } from './attributes.js';
import { decodeModelProto, type ModelProto, type NodeProto, type TensorProto } from './proto.js';
import { tensorFromProto } from './tensor.js';
import { foldableWeights } from '../quantize/fixed-weights.js';

export interface QuantizedImportOptions {
  /** graph inputs bound to constant values (decoded TensorProtos), e.g. scales and weights fed as inputs */
  constants?: Record<string, TensorProto>;
  /** name used in error messages */
  source?: string;
}

/** The operators this importer reads; a graph holding one of QUANTIZED_OPS is a quantized-operator graph. */
export const QUANTIZED_OPS = new Set(['QuantizeLinear', 'DequantizeLinear', 'QLinearConv', 'QLinearMatMul', 'ConvInteger', 'MatMulInteger']);

/** Quantized ONNX ops wasmq knows and refuses, with the reason. */
const REFUSED_OPS: Record<string, string> = {
  DynamicQuantizeLinear: 'DynamicQuantizeLinear computes its scale at run time; wasmq models have static quantization parameters',
};

/** ONNX element type codes and their names, for messages (wasmq reads float32, int8, uint8 and int32 here). */
const TYPE_NAMES: Record<number, string> = {
  1: 'float32', 2: 'uint8', 3: 'int8', 4: 'uint16', 5: 'int16', 6: 'int32', 7: 'int64', 10: 'float16', 11: 'float64',
  16: 'bfloat16', 17: 'float8e4m3fn', 18: 'float8e4m3fnuz', 19: 'float8e5m2', 20: 'float8e5m2fnuz', 21: 'uint4',
  22: 'int4', 23: 'float4e2m1', 24: 'float8e8m0', 25: 'uint2', 26: 'int2',
};
const typeName = (code: number | undefined) => TYPE_NAMES[code ?? 0] ?? `type ${code ?? 'undefined'}`;

/** Does the model hold a quantized operator (so it should go through importQuantizedOnnx)? */
export function hasQuantizedOps(m: ModelProto): boolean {
  return (m.graph?.node ?? []).some((n) => QUANTIZED_OPS.has(n.opType ?? '') || (n.opType ?? '') in REFUSED_OPS);
}

interface Value {
  /** ONNX element type code */
  type: number;
  /** ONNX shape (NCHW for rank 4) */
  shape: number[];
  /** constant data (integers and floats as numbers) */
  data?: Float32Array | Float64Array;
  /** index of the Model tensor (activations only) */
  index?: number;
}

const FLOAT = 1, UINT8 = 2, INT8 = 3, INT32 = 6;

export function importQuantizedOnnx(bytes: Uint8Array, options: QuantizedImportOptions = {}): Model {
  return importQuantizedModelProto(decodeModelProto(bytes, options.source), options);
}

export function importQuantizedModelProto(m: ModelProto, options: QuantizedImportOptions = {}): Model {
  const src = options.source ?? 'the model';
  const gp = m.graph;
  if (!gp) throw new ConvertError('MALFORMED_ONNX', `${src}: no graph`);
  const label = (n: NodeProto, i: number) => `node '${n.name || `#${i}`}' (${n.opType})`;

  // Refuse every unsupported node in one error, before any work.
  const problems: string[] = [];
  gp.node.forEach((n, i) => {
    const op = n.opType ?? '';
    if (n.domain && n.domain !== 'ai.onnx') problems.push(`${label(n, i)}: domain '${n.domain}' is not supported`);
    else if (REFUSED_OPS[op]) problems.push(`${label(n, i)}: ${REFUSED_OPS[op]}`);
    else if (!QUANTIZED_OPS.has(op) && op !== 'Constant') problems.push(`${label(n, i)}: op type is not supported in a quantized-operator graph`);
  });
  if (problems.length) throw new ConvertError('UNSUPPORTED_OPS', `${problems.length} unsupported node(s) in ${src}:\n  ${problems.join('\n  ')}`);

  const values = new Map<string, Value>();
  const constant = (p: TensorProto, name: string) => {
    checkType(p.dataType, `constant '${name}'`);
    const t = tensorFromProto(p, name);
    values.set(name, { type: p.dataType ?? 0, shape: t.shape!, data: t.data });
  };
  for (const p of gp.initializer) constant(p, p.name ?? '');
  for (const [name, p] of Object.entries(options.constants ?? {})) {
    if (!gp.input.some((vi) => vi.name === name)) throw new ConvertError('MALFORMED_ONNX', `constants['${name}']: the graph has no input of that name`);
    constant(p, name);
  }
  gp.node.forEach((n, i) => {
    if (n.opType !== 'Constant') return;
    const t = new Attributes(n, label(n, i)).tensor('value');
    if (!t) throw new ConvertError('UNSUPPORTED_ATTRIBUTE', `${label(n, i)}: only tensor-valued Constants are supported`);
    constant(t, n.output[0] ?? '');
  });

  const tensors: TensorDef[] = [];
  const buffers: Uint8Array[] = [];
  const ops: OpDef[] = [];
  const addTensor = (def: TensorDef, data?: ArrayBufferView): number => {
    if (data) def.buffer = buffers.push(new Uint8Array(data.buffer, data.byteOffset, data.byteLength)) - 1;
    return tensors.push(def) - 1;
  };
  /** Sets (or checks) the quantization of an 8-bit activation: one tensor has one set of parameters. */
  const setQuant = (name: string, v: Value, q: Quantization, where: string) => {
    const t = tensors[v.index!];
    if (t.dtype === 'float32') throw new ConvertError('UNSUPPORTED_TYPE', `${where}: '${name}' is float32, expected int8 or uint8`);
    if (t.quant && (t.quant.scales[0] !== q.scales[0] || t.quant.zeroPoints[0] !== q.zeroPoints[0])) {
      throw new ConvertError('BAD_QUANT', `${where}: '${name}' is used with two different scales/zero points`);
    }
    t.quant = q;
  };

  const inputs: number[] = [];
  for (const vi of gp.input) {
    const name = vi.name ?? '';
    if (values.has(name)) continue;
    const type = vi.type?.tensorType?.elemType;
    checkType(type, `graph input '${name}'`);
    if (type !== FLOAT && type !== UINT8 && type !== INT8) throw new ConvertError('UNSUPPORTED_TYPE', `graph input '${name}' is ${typeName(type)}; wasmq takes float32, int8 or uint8 inputs`);
    const shape = (vi.type?.tensorType?.shape?.dim ?? []).map((d, k) => {
      const v = d.dimValue === undefined ? NaN : Number(d.dimValue);
      if (!(Number.isSafeInteger(v) && v > 0)) throw new ConvertError('DYNAMIC_SHAPE', `graph input '${name}' dimension ${k} is not a fixed size`);
      return v;
    });
    const index = addTensor({ name, shape: modelShape(shape), dtype: dtypeOf(type) });
    values.set(name, { type, shape, index });
    inputs.push(index);
  }

  const get = (name: string, where: string): Value => {
    const v = values.get(name);
    if (!v) throw new ConvertError('DANGLING_EDGE', `${where}: tensor '${name}' is not produced before it is used`);
    return v;
  };
  const constOf = (name: string, where: string, what: string): Value & { data: Float32Array | Float64Array } => {
    const v = get(name, where);
    if (!v.data) throw new ConvertError('NOT_CONSTANT', `${where}: ${what} '${name}' must be constant (an initializer, a Constant or a bound input)`);
    return v as Value & { data: Float32Array | Float64Array };
  };
  const activation = (name: string, where: string): Value => {
    const v = get(name, where);
    if (v.data) throw new ConvertError('UNSUPPORTED_ATTRIBUTE', `${where}: constant data input '${name}' is not supported (fold it before export)`);
    return v;
  };
  /** scale + zero point inputs → per-tensor or per-channel parameters, checked. */
  const quantOf = (n: NodeProto, sIn: number, zIn: number, where: string, channels = 1): Quantization & { type: number } => {
    const s = constOf(n.input[sIn], where, 'scale');
    if (s.type !== FLOAT) throw new ConvertError('UNSUPPORTED_TYPE', `${where}: scale '${n.input[sIn]}' is ${typeName(s.type)}; wasmq reads float32 scales`);
    const zName = n.input[zIn] ?? '';
    const z = zName ? constOf(zName, where, 'zero point') : undefined;
    const count = s.data.length;
    if (count !== 1 && count !== channels && channels !== Infinity) throw new ConvertError('BAD_QUANT', `${where}: ${count} scales, expected 1 or ${channels}`);
    if (z && z.data.length !== count) throw new ConvertError('BAD_QUANT', `${where}: ${z.data.length} zero points for ${count} scales`);
    for (let j = 0; j < count; j++) { const v = s.data[j]; if (!(v > 0) || !Number.isFinite(v)) throw new ConvertError('BAD_QUANT', `${where}: scale ${v} must be finite and > 0`); }
    return {
      scales: Float32Array.from(s.data), zeroPoints: z ? Int32Array.from(z.data) : new Int32Array(count),
      axis: count === 1 ? -1 : 0, type: z?.type ?? UINT8,
    };
  };
  const output = (n: NodeProto, type: number, shape: number[], quant?: Quantization): number => {
    const name = n.output[0] ?? '';
    const index = addTensor({ name, shape: modelShape(shape), dtype: dtypeOf(type), quant });
    values.set(name, { type, shape, index });
    return index;
  };

  gp.node.forEach((n, i) => {
    const where = label(n, i);
    const a = new Attributes(n, where);
    switch (n.opType) {
      case 'Constant': return;
      case 'QuantizeLinear':
      case 'DequantizeLinear': {
        if (a.int('block_size', 0) !== 0) throw new ConvertError('UNSUPPORTED_TYPE', `${where}: blocked quantization (block_size ${a.int('block_size', 0)}) is not supported`);
        const x = activation(n.input[0], where);
        const q = quantOf(n, 1, 2, where, Infinity);
        if (q.axis !== -1) throw new ConvertError('BAD_QUANT', `${where}: per-axis quantization of activations is not supported (wasmq quantizes activations per tensor)`);
        if (n.opType === 'QuantizeLinear') {
          const type = a.has('output_dtype') && !n.input[2] ? a.int('output_dtype', UINT8) : q.type;
          checkType(type, `${where}: output`);
          if (x.type !== FLOAT) throw new ConvertError('UNSUPPORTED_TYPE', `${where}: input is ${typeName(x.type)}, expected float32`);
          const y = output(n, type, x.shape, q);
          // ONNX QuantizeLinear rounds ties to even (TFLite's QUANTIZE rounds them away from zero)
          ops.push({ kind: 'Quantize', name: n.name || `QuantizeLinear_${i}`, inputs: [x.index!], outputs: [y], options: { rounding: 'half-even' } });
        } else {
          if (x.type !== q.type) throw new ConvertError('BAD_QUANT', `${where}: input is ${typeName(x.type)}, zero point is ${typeName(q.type)}`);
          setQuant(n.input[0], x, q, where);
          const y = output(n, FLOAT, x.shape);
          ops.push({ kind: 'Dequantize', name: n.name || `DequantizeLinear_${i}`, inputs: [x.index!], outputs: [y], options: {} });
        }
        return;
      }
      case 'QLinearConv': {
        const x = activation(n.input[0], where);
        const w = constOf(n.input[3], where, 'weights');
        const geo = convGeometry(a, x.shape, w.shape, where);
        const qx = quantOf(n, 1, 2, where), qw = quantOf(n, 4, 5, where, geo.o), qy = quantOf(n, 6, 7, where);
        setQuant(n.input[0], x, qx, where);
        if (w.type !== qw.type) throw new ConvertError('BAD_QUANT', `${where}: weights are ${typeName(w.type)}, zero point is ${typeName(qw.type)}`);
        const wf = foldableWeights(n.input[3], geo.wShape, geo.pack(w.data, integerArray(w.type, w.data.length)), { ...qw, axis: qw.axis === -1 ? -1 : geo.depthwise ? 3 : 0 }, where);
        const ins = [x.index!, addTensor(wf.def, wf.data)];
        if (n.input[8]) {
          const b = constOf(n.input[8], where, 'bias');
          if (b.type !== INT32 || b.data.length !== geo.o) throw new ConvertError('BAD_QUANT', `${where}: bias must be int32 [${geo.o}], got ${typeName(b.type)} [${b.shape}]`);
          const scales = Float32Array.from({ length: geo.o }, (_, c) => qx.scales[0] * qw.scales[qw.scales.length === 1 ? 0 : c]);
          ins.push(addTensor({ name: n.input[8], shape: [geo.o], dtype: 'int32', quant: { scales, zeroPoints: new Int32Array(geo.o), axis: 0 } }, Int32Array.from(b.data)));
        }
        const y = output(n, qy.type, geo.outShape, { scales: qy.scales, zeroPoints: qy.zeroPoints, axis: -1 });
        ops.push(geo.op(n.name || `QLinearConv_${i}`, ins, y));
        return;
      }
      case 'QLinearMatMul': {
        const x = activation(n.input[0], where);
        const b = constOf(n.input[3], where, 'B');
        const mm = matMulGeometry(x.shape, b, where);
        const qa = quantOf(n, 1, 2, where), qb = quantOf(n, 4, 5, where, mm.n), qy = quantOf(n, 6, 7, where);
        setQuant(n.input[0], x, qa, where);
        if (b.type !== qb.type) throw new ConvertError('BAD_QUANT', `${where}: B is ${typeName(b.type)}, zero point is ${typeName(qb.type)}`);
        const wf = foldableWeights(n.input[3], [mm.n, mm.k], mm.pack(b.data, integerArray(b.type, mm.n * mm.k)), { scales: qb.scales, zeroPoints: qb.zeroPoints, axis: qb.axis }, where);
        const y = output(n, qy.type, mm.outShape, { scales: qy.scales, zeroPoints: qy.zeroPoints, axis: -1 });
        ops.push({ kind: 'FullyConnected', name: n.name || `QLinearMatMul_${i}`, inputs: [x.index!, addTensor(wf.def, wf.data)], outputs: [y], options: { activation: 'none' } });
        return;
      }
      case 'ConvInteger':
      case 'MatMulInteger': {
        // int32 accumulators, computed exactly by the float32 kernels: x - zx by a scale-1 Dequantize, weights
        // w - zw as float constants; every partial sum is an integer below 2^24, so float32 holds it exactly.
        const x = activation(n.input[0], where);
        const w = constOf(n.input[1], where, 'weights');
        const conv = n.opType === 'ConvInteger';
        const geo = conv ? convGeometry(a, x.shape, w.shape, where) : undefined;
        const mm = conv ? undefined : matMulGeometry(x.shape, w, where);
        const channels = geo?.o ?? mm!.n;
        const zx = n.input[2] ? constOf(n.input[2], where, 'zero point') : undefined;
        const zw = n.input[3] ? constOf(n.input[3], where, 'zero point') : undefined;
        if (zx && zx.data.length !== 1) throw new ConvertError('BAD_QUANT', `${where}: per-axis input zero points are not supported`);
        if (zw && zw.data.length !== 1 && zw.data.length !== channels) throw new ConvertError('BAD_QUANT', `${where}: ${zw.data.length} weight zero points for ${channels} output channels`);
        if (x.type !== UINT8 && x.type !== INT8) throw new ConvertError('UNSUPPORTED_TYPE', `${where}: input is ${typeName(x.type)}, expected int8 or uint8`);
        const zxv = zx ? zx.data[0] : 0;
        setQuant(n.input[0], x, { scales: Float32Array.of(1), zeroPoints: Int32Array.of(zxv), axis: -1 }, where);
        const inner = w.data.length / channels; // ONNX weights: output channel first (conv O..., MatMul B [K, N] is per column)
        const centered = Float32Array.from(w.data, (v, j) => v - (zw ? zw.data[zw.data.length === 1 ? 0 : conv ? Math.floor(j / inner) : j % channels] : 0));
        const k = conv ? inner : mm!.k;
        const maxW = centered.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
        const maxX = x.type === UINT8 ? Math.max(zxv, 255 - zxv) : Math.max(zxv + 128, 127 - zxv);
        if (k * maxW * maxX >= 2 ** 24) throw new ConvertError('UNSUPPORTED_ATTRIBUTE', `${where}: accumulators up to ${k * maxW * maxX} need a true int32 path (wasmq computes ${n.opType} exactly in float32 only below 2^24)`);
        const real = addTensor({ name: `${n.input[0]}/centered`, shape: modelShape(x.shape), dtype: 'float32' });
        ops.push({ kind: 'Dequantize', name: `${n.name || n.opType + '_' + i}/center`, inputs: [x.index!], outputs: [real], options: {} });
        const y = output(n, FLOAT, geo?.outShape ?? mm!.outShape);
        const name = n.name || `${n.opType}_${i}`;
        if (geo) {
          ops.push(geo.op(name, [real, addTensor({ name: n.input[1], shape: geo.wShape, dtype: 'float32' }, geo.pack(centered, new Float32Array(centered.length)))], y));
        } else {
          const wt = addTensor({ name: n.input[1], shape: [mm!.n, mm!.k], dtype: 'float32' }, mm!.pack(centered, new Float32Array(mm!.n * mm!.k)));
          ops.push({ kind: 'FullyConnected', name, inputs: [real, wt], outputs: [y], options: { activation: 'none' } });
        }
        return;
      }
    }
  });

  const outputs = gp.output.map((vo) => {
    const v = values.get(vo.name ?? '');
    if (v?.index === undefined) throw new ConvertError('DANGLING_EDGE', `graph output '${vo.name}' is not an activation produced by a node`);
    return v.index;
  });
  return { version: 1, tensors, buffers, ops, inputs, outputs, metadata: { producer: 'wasmq convert', calibrationMethod: 'imported:onnx-qoperator' } };
}

/** Shapes and layout of a 2D convolution (QLinearConv, ConvInteger): NHWC output, OHWI / 1HWC weights. */
function convGeometry(a: Attributes, xShape: number[], wShape: number[], where: string) {
  if (xShape.length !== 4 || wShape.length !== 4) throw new ConvertError('UNSUPPORTED_ATTRIBUTE', `${where}: only 2D convolutions (rank-4 input and weights) are supported`);
  const [o, ig, kh, kw] = wShape;
  const [nb, cin, h, wd] = xShape;
  const group = a.int('group', 1);
  const depthwise = group > 1 && group === cin && ig === 1 && o % cin === 0;
  if (group !== 1 && !depthwise) throw new ConvertError('UNSUPPORTED_ATTRIBUTE', `${where}: group ${group} (only 1 or depthwise) is not supported`);
  if (ig * group !== cin) throw new ConvertError('SHAPE_MISMATCH', `${where}: weights [${wShape}] do not match input [${xShape}] with group ${group}`);
  const stride = a.pair('strides', 1), dil = a.pair('dilations', 1);
  const pads = convPads(a, where, [h, wd], [kh, kw], stride, dil);
  const oh = Math.floor((h + pads[0] + pads[2] - dil[0] * (kh - 1) - 1) / stride[0]) + 1;
  const ow = Math.floor((wd + pads[1] + pads[3] - dil[1] * (kw - 1) - 1) / stride[1]) + 1;
  if (!(oh > 0 && ow > 0)) throw new ConvertError('SHAPE_MISMATCH', `${where}: empty output ${oh}x${ow}`);
  const options = { padTop: pads[0], padLeft: pads[1], padBottom: pads[2], padRight: pads[3], strideH: stride[0], strideW: stride[1], dilationH: dil[0], dilationW: dil[1], activation: 'none' as const };
  return {
    o, depthwise,
    wShape: depthwise ? [1, kh, kw, o] : [o, kh, kw, ig],
    outShape: [nb, o, oh, ow],
    /** OIHW → OHWI (conv) or 1HWC (depthwise, C = output channels) */
    pack<T extends { [i: number]: number }>(w: ArrayLike<number>, out: T): T {
      for (let oc = 0; oc < o; oc++) for (let y = 0; y < kh; y++) for (let x = 0; x < kw; x++) for (let ic = 0; ic < ig; ic++) {
        out[depthwise ? (y * kw + x) * o + oc : ((oc * kh + y) * kw + x) * ig + ic] = w[((oc * ig + ic) * kh + y) * kw + x];
      }
      return out;
    },
    op(name: string, inputs: number[], y: number): OpDef {
      return depthwise
        ? { kind: 'DepthwiseConv2D', name, inputs, outputs: [y], options: { ...options, depthMultiplier: o / cin } }
        : { kind: 'Conv2D', name, inputs, outputs: [y], options };
    },
  };
}

/** A [.., K] x constant B [.., K, N] as one FullyConnected with weights [N, K]. */
function matMulGeometry(aShape: number[], b: Value & { data: ArrayLike<number> }, where: string) {
  if (aShape.length < 2 || aShape.length === 4) throw new ConvertError('LAYOUT', `${where}: A of rank ${aShape.length} is not supported (ranks 2, 3, 5+)`);
  const k = aShape[aShape.length - 1];
  const [bk, n] = b.shape.slice(-2);
  if (bk !== k) throw new ConvertError('SHAPE_MISMATCH', `${where}: A [${aShape}] and B [${b.shape}] do not multiply`);
  // A batched constant B runs as one FullyConnected only when every batch slice is the same matrix.
  const slice = k * n;
  for (let j = slice; j < b.data.length; j++) {
    if (b.data[j] !== b.data[j % slice]) throw new ConvertError('UNSUPPORTED_ATTRIBUTE', `${where}: B [${b.shape}] holds different matrices per batch; wasmq's FullyConnected takes one weight matrix`);
  }
  return {
    k, n, outShape: [...aShape.slice(0, -1), n],
    /** [K, N] → [N, K] */
    pack<T extends { [i: number]: number }>(values: ArrayLike<number>, out: T): T {
      for (let r = 0; r < k; r++) for (let c = 0; c < n; c++) out[c * k + r] = values[r * n + c];
      return out;
    },
  };
}

/** Refuses element types wasmq has no kernels for, naming the type. */
function checkType(code: number | undefined, what: string): void {
  if (code === FLOAT || code === UINT8 || code === INT8 || code === INT32 || code === 7) return;
  throw new ConvertError('UNSUPPORTED_TYPE', `${what} is ${typeName(code)}: wasmq supports 8-bit quantization with float32 scales only (int4/int2/int16/float8/float4 types and float16 scales are not supported)`);
}

function dtypeOf(code: number): DType {
  return code === FLOAT ? 'float32' : code === UINT8 ? 'uint8' : code === INT8 ? 'int8' : 'int32';
}

function integerArray(code: number, n: number): Int8Array | Uint8Array {
  return code === UINT8 ? new Uint8Array(n) : new Int8Array(n);
}

/** Rank-4 tensors are NHWC in the Model. */
function modelShape(s: number[]): number[] {
  return s.length === 4 ? [s[0], s[2], s[3], s[1]] : [...s];
}

/** [top, left, bottom, right] from pads / auto_pad. */
function convPads(a: Attributes, where: string, [h, w]: number[], [kh, kw]: number[], stride: [number, number], dil: [number, number]): [number, number, number, number] {
  const auto = a.string('auto_pad', 'NOTSET');
  if (auto === 'NOTSET') return a.pads4();
  if (auto === 'VALID') return [0, 0, 0, 0];
  if (auto !== 'SAME_UPPER' && auto !== 'SAME_LOWER') throw new ConvertError('UNSUPPORTED_ATTRIBUTE', `${where}: auto_pad '${auto}'`);
  const total = (size: number, k: number, s: number, d: number) => Math.max(0, (Math.ceil(size / s) - 1) * s + d * (k - 1) + 1 - size);
  const th = total(h, kh, stride[0], dil[0]), tw = total(w, kw, stride[1], dil[1]);
  const small = (t: number) => (auto === 'SAME_UPPER' ? Math.floor(t / 2) : Math.ceil(t / 2));
  return [small(th), small(tw), th - small(th), tw - small(tw)];
}
