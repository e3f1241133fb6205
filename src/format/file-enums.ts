// Model strings <-> the schema's enum values, for writer and reader alike.

import * as fb from './generated/wasmq.js';
import { OP_KINDS, type DType, type OpKind, type Preprocessing } from './model.js';

export const DTYPE_TO_FILE: Record<DType, fb.DType> = {
  int8: fb.DType.Int8,
  uint8: fb.DType.UInt8,
  int32: fb.DType.Int32,
  float32: fb.DType.Float32,
};

export const LAYOUT_TO_FILE: Record<Preprocessing['layout'], fb.Layout> = {
  NHWC: fb.Layout.NHWC,
  NCHW: fb.Layout.NCHW,
};

/** Schema enum members carry the model's op kind names. */
export const OP_KIND_TO_FILE = Object.fromEntries(OP_KINDS.map((k) => [k, fb.OpKind[k]])) as Record<OpKind, fb.OpKind>;

function invert<K extends string>(map: Record<K, number>): Map<number, K> {
  return new Map(Object.entries(map).map(([k, v]) => [v as number, k as K]));
}

export const DTYPE_FROM_FILE = invert(DTYPE_TO_FILE);
export const LAYOUT_FROM_FILE = invert(LAYOUT_TO_FILE);
export const OP_KIND_FROM_FILE = invert(OP_KIND_TO_FILE);
