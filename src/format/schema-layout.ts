// The shape of schema/wasmq.fbs as the structural verifier needs it: for each table, which vtable slot holds
// what. Slot n is field n in declaration order (a union takes two slots: its type byte, then its value).
// test/format/schema-layout.test.ts checks this description against flatc's own reflection of the schema.

export type FieldLayout =
  | { name: string; kind: 'scalar'; size: 1 | 2 | 4 | 8 }
  | { name: string; kind: 'string'; required?: boolean }
  | { name: string; kind: 'vector'; elemSize: 1 | 2 | 4 | 8; align?: number; required?: boolean }
  | { name: string; kind: 'strings'; required?: boolean }
  | { name: string; kind: 'table'; table: TableLayout; required?: boolean }
  | { name: string; kind: 'tables'; table: TableLayout; required?: boolean }
  /** the value slot of a union; its type byte is the slot before; member i + 1 is members[i] */
  | { name: string; kind: 'union'; members: readonly TableLayout[] };

export interface TableLayout {
  name: string;
  /** indexed by slot */
  fields: readonly FieldLayout[];
}

const scalar = (name: string, size: 1 | 2 | 4 | 8): FieldLayout => ({ name, kind: 'scalar', size });
const int = (name: string) => scalar(name, 4);
const byte = (name: string) => scalar(name, 1);

const padding = [int('pad_top'), int('pad_bottom'), int('pad_left'), int('pad_right')];
const strideDilation = [int('stride_h'), int('stride_w'), int('dilation_h'), int('dilation_w')];

export const QUANTIZATION: TableLayout = {
  name: 'Quantization',
  fields: [
    { name: 'scales', kind: 'vector', elemSize: 4, required: true },
    { name: 'zero_points', kind: 'vector', elemSize: 4, required: true },
    int('axis'),
  ],
};

export const TENSOR: TableLayout = {
  name: 'Tensor',
  fields: [
    { name: 'name', kind: 'string', required: true },
    { name: 'shape', kind: 'vector', elemSize: 4, required: true },
    byte('dtype'),
    { name: 'quantization', kind: 'table', table: QUANTIZATION },
    int('buffer'),
    byte('bits'),
    byte('packing'),
  ],
};

export const BUFFER: TableLayout = {
  name: 'Buffer',
  fields: [{ name: 'data', kind: 'vector', elemSize: 1, align: 16, required: true }],
};

export const OPTION_TABLES: readonly TableLayout[] = [
  { name: 'Conv2DOptions', fields: [...padding, ...strideDilation, byte('activation')] },
  { name: 'DepthwiseConv2DOptions', fields: [...padding, ...strideDilation, byte('activation'), int('depth_multiplier')] },
  {
    name: 'PoolOptions',
    fields: [...padding, int('filter_h'), int('filter_w'), int('stride_h'), int('stride_w'), byte('activation')],
  },
  { name: 'ActivationOptions', fields: [byte('activation')] },
  { name: 'MeanOptions', fields: [{ name: 'axes', kind: 'vector', elemSize: 4, required: true }, byte('keep_dims')] },
  { name: 'ConcatenationOptions', fields: [int('axis'), byte('activation')] },
  { name: 'PadOptions', fields: [{ name: 'pads', kind: 'vector', elemSize: 4, required: true }] },
  { name: 'SoftmaxOptions', fields: [scalar('beta', 8)] },
  { name: 'LeakyReluOptions', fields: [scalar('alpha', 8)] },
  { name: 'QuantizeOptions', fields: [byte('rounding')] },
];

export const OP: TableLayout = {
  name: 'Op',
  fields: [
    scalar('kind', 2),
    { name: 'name', kind: 'string' },
    { name: 'inputs', kind: 'vector', elemSize: 4, required: true },
    { name: 'outputs', kind: 'vector', elemSize: 4, required: true },
    byte('options_type'),
    { name: 'options', kind: 'union', members: OPTION_TABLES },
  ],
};

export const PREPROCESSING: TableLayout = {
  name: 'Preprocessing',
  fields: [
    byte('layout'),
    { name: 'mean', kind: 'vector', elemSize: 8, required: true },
    { name: 'std', kind: 'vector', elemSize: 8, required: true },
    scalar('pixel_scale', 8),
  ],
};

export const KEY_VALUE: TableLayout = {
  name: 'KeyValue',
  fields: [
    { name: 'key', kind: 'string', required: true },
    { name: 'value', kind: 'string', required: true },
  ],
};

export const METADATA: TableLayout = {
  name: 'Metadata',
  fields: [
    { name: 'producer', kind: 'string', required: true },
    { name: 'calibration_method', kind: 'string' },
    { name: 'preprocessing', kind: 'table', table: PREPROCESSING },
    { name: 'labels', kind: 'strings' },
    { name: 'extra', kind: 'tables', table: KEY_VALUE },
  ],
};

export const MODEL: TableLayout = {
  name: 'Model',
  fields: [
    int('version'),
    { name: 'tensors', kind: 'tables', table: TENSOR, required: true },
    { name: 'buffers', kind: 'tables', table: BUFFER, required: true },
    { name: 'ops', kind: 'tables', table: OP, required: true },
    { name: 'inputs', kind: 'vector', elemSize: 4, required: true },
    { name: 'outputs', kind: 'vector', elemSize: 4, required: true },
    { name: 'metadata', kind: 'table', table: METADATA, required: true },
  ],
};
