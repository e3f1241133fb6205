// A small builder for ONNX models: tests make models with it, and `wasmq export-onnx` writes with it.
//   const b = new OnnxBuilder({ opset: 13 });
//   b.input('x', [1, 3, 8, 8]);
//   b.initializer('w', [4, 3, 3, 3], weights);
//   b.node('Conv', ['x', 'w'], ['y'], { pads: [1, 1, 1, 1] });
//   b.output('y');
//   const bytes = b.toBytes();
import { ATTR_TYPE, encodeModelProto, type AttributeProto, type ModelProto, type NodeProto, type TensorProto, type ValueInfoProto } from './proto.js';
import { ELEM_TYPE_CODE, encodeElements, toHalf, type OnnxElemType } from './dtype.js';

/** A tensor value for initializers, Constant nodes and tensor attributes. */
export interface TensorInit {
  dims: number[];
  data: ArrayLike<number>;
  /** default float32 */
  dtype?: OnnxElemType;
  /** 'raw' (raw_data, the default) or 'typed' (float_data / int32_data / int64_data / double_data) */
  encoding?: 'raw' | 'typed';
  /** store the data outside the model (the caller writes the file with encodeElements) */
  external?: { location: string; offset?: number; length?: number };
}

/** Attributes whose type cannot be inferred from a plain value (1.0 would otherwise be an INT). */
export type TypedAttr =
  | { type: 'float'; value: number }
  | { type: 'floats'; value: number[] }
  | { type: 'int'; value: number }
  | { type: 'ints'; value: number[] }
  | { type: 'string'; value: string }
  | { type: 'tensor'; value: TensorInit };

/** integer -> INT, other number -> FLOAT, integer[] -> INTS, number[] -> FLOATS, string -> STRING */
export type AttrValue = number | number[] | string | TypedAttr;

export const attr = {
  float: (value: number): TypedAttr => ({ type: 'float', value }),
  floats: (value: number[]): TypedAttr => ({ type: 'floats', value }),
  int: (value: number): TypedAttr => ({ type: 'int', value }),
  ints: (value: number[]): TypedAttr => ({ type: 'ints', value }),
  tensor: (value: TensorInit): TypedAttr => ({ type: 'tensor', value }),
};

/** The IR version that goes with an opset, so runtimes accept the model. */
export function irVersionForOpset(opset: number): number {
  if (opset <= 10) return 5;
  if (opset <= 11) return 6;
  if (opset <= 13) return 7;
  if (opset <= 18) return 8;
  if (opset <= 20) return 9;
  return 10;
}

const utf8 = new TextEncoder();

export function tensorProto(name: string, t: TensorInit): TensorProto {
  const dtype = t.dtype ?? 'float32';
  const p: TensorProto = {
    name, dims: [...t.dims], dataType: ELEM_TYPE_CODE[dtype], floatData: [], int32Data: [], stringData: [],
    int64Data: [], doubleData: [], uint64Data: [], externalData: [],
  };
  if (t.external) {
    p.dataLocation = 1;
    p.externalData.push({ key: 'location', value: t.external.location });
    if (t.external.offset !== undefined) p.externalData.push({ key: 'offset', value: String(t.external.offset) });
    if (t.external.length !== undefined) p.externalData.push({ key: 'length', value: String(t.external.length) });
  } else if ((t.encoding ?? 'raw') === 'raw') {
    p.rawData = encodeElements(dtype, t.data);
  } else {
    const values = Array.from(t.data);
    if (dtype === 'float32') p.floatData = values;
    else if (dtype === 'float64') p.doubleData = values;
    else if (dtype === 'int64') p.int64Data = values;
    else if (dtype === 'uint64' || dtype === 'uint32') p.uint64Data = values;
    else if (dtype === 'float16') p.int32Data = values.map(toHalf);
    else p.int32Data = values;
  }
  return p;
}

function attributeProto(name: string, v: AttrValue): AttributeProto {
  const a: AttributeProto = { name, floats: [], ints: [], strings: [], tensors: [], graphs: [] };
  const typed: TypedAttr =
    typeof v === 'number' ? (Number.isInteger(v) ? { type: 'int', value: v } : { type: 'float', value: v })
    : typeof v === 'string' ? { type: 'string', value: v }
    : Array.isArray(v) ? (v.every(Number.isInteger) ? { type: 'ints', value: v } : { type: 'floats', value: v })
    : v;
  switch (typed.type) {
    case 'float': a.type = ATTR_TYPE.FLOAT; a.f = typed.value; break;
    case 'int': a.type = ATTR_TYPE.INT; a.i = typed.value; break;
    case 'floats': a.type = ATTR_TYPE.FLOATS; a.floats = typed.value; break;
    case 'ints': a.type = ATTR_TYPE.INTS; a.ints = typed.value; break;
    case 'string': a.type = ATTR_TYPE.STRING; a.s = utf8.encode(typed.value); break;
    case 'tensor': a.type = ATTR_TYPE.TENSOR; a.t = tensorProto('', typed.value); break;
  }
  return a;
}

function valueInfo(name: string, dtype: OnnxElemType, shape?: (number | string)[]): ValueInfoProto {
  const dims = shape?.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d }));
  return { name, type: { tensorType: { elemType: ELEM_TYPE_CODE[dtype], ...(dims ? { shape: { dim: dims } } : {}) } } };
}

export class OnnxBuilder {
  readonly opset: number;
  private readonly nodes: NodeProto[] = [];
  private readonly inits: TensorProto[] = [];
  private readonly inputs: ValueInfoProto[] = [];
  private readonly outputs: ValueInfoProto[] = [];
  private readonly producer: string;
  private readonly metadata: Record<string, string>;

  constructor(options: { opset?: number; producer?: string; metadata?: Record<string, string> } = {}) {
    this.opset = options.opset ?? 13;
    this.producer = options.producer ?? 'wasmq';
    this.metadata = options.metadata ?? {};
  }

  /** A graph input; string dims are symbolic (e.g. 'batch'). */
  input(name: string, shape: (number | string)[], dtype: OnnxElemType = 'float32'): this {
    this.inputs.push(valueInfo(name, dtype, shape));
    return this;
  }

  /** A graph output; shape may be left out (the consumer infers it). */
  output(name: string, shape?: (number | string)[], dtype: OnnxElemType = 'float32'): this {
    this.outputs.push(valueInfo(name, dtype, shape));
    return this;
  }

  initializer(name: string, dims: number[], data: ArrayLike<number>, options: Omit<TensorInit, 'dims' | 'data'> = {}): this {
    this.inits.push(tensorProto(name, { dims, data, ...options }));
    return this;
  }

  /** A node; its name defaults to `<opType>_<index>`. */
  node(opType: string, inputs: string[], outputs: string[], attrs: Record<string, AttrValue> = {}, name?: string): this {
    this.nodes.push({
      opType, input: [...inputs], output: [...outputs], name: name ?? `${opType}_${this.nodes.length}`,
      attribute: Object.entries(attrs).map(([k, v]) => attributeProto(k, v)),
    });
    return this;
  }

  /** A Constant node producing `output`. */
  constant(output: string, dims: number[], data: ArrayLike<number>, dtype: OnnxElemType = 'float32'): this {
    return this.node('Constant', [], [output], { value: attr.tensor({ dims, data, dtype }) });
  }

  toProto(): ModelProto {
    return {
      irVersion: irVersionForOpset(this.opset),
      producerName: this.producer,
      opsetImport: [{ domain: '', version: this.opset }],
      metadataProps: Object.entries(this.metadata).map(([key, value]) => ({ key, value })),
      graph: {
        name: 'graph', node: this.nodes, initializer: this.inits, input: this.inputs, output: this.outputs,
        valueInfo: [],
      },
    };
  }

  toBytes(): Uint8Array {
    return encodeModelProto(this.toProto());
  }
}
