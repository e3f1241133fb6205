// Writes small .tflite files for tests with the flatbuffers Builder, from the schema.fbs field ids (a union
// takes two ids: type, then table). Independent of the reader under test: it only uses the Builder.
import * as flatbuffers from 'flatbuffers';

export type Field = [id: number, kind: 'i8' | 'i32' | 'f32' | 'bool' | 'ints', value: number | boolean | number[]];

export interface SpecTensor {
  name: string;
  shape: number[];
  /** TensorType code: 0 FLOAT32, 2 INT32, 3 UINT8, 4 INT64, 9 INT8 */
  type: number;
  data?: Uint8Array;
  scale?: number[];
  zeroPoint?: number[];
  quantizedDimension?: number;
}

export interface SpecOp {
  code: number;
  inputs: number[];
  outputs: number[];
  optionsType?: number;
  options?: Field[];
}

export interface Spec {
  tensors: SpecTensor[];
  ops: SpecOp[];
  inputs: number[];
  outputs: number[];
  /** store codes < 127 only in deprecated_builtin_code (old files), not in builtin_code */
  deprecatedCodesOnly?: boolean;
  /** keep constant data outside the flatbuffer (Buffer.offset / size), as files over 2 GB do */
  externalBuffers?: boolean;
}

function intVector(b: flatbuffers.Builder, values: number[]): number {
  b.startVector(4, values.length, 4);
  for (let i = values.length - 1; i >= 0; i--) b.addInt32(values[i]);
  return b.endVector();
}

function table(b: flatbuffers.Builder, fields: Field[]): number {
  const vectors = fields.map(([, kind, v]) => (kind === 'ints' ? intVector(b, v as number[]) : 0));
  b.startObject(Math.max(0, ...fields.map(([id]) => id + 1)));
  fields.forEach(([id, kind, v], i) => {
    if (kind === 'i8') b.addFieldInt8(id, v as number, null);
    else if (kind === 'i32') b.addFieldInt32(id, v as number, null);
    else if (kind === 'f32') b.addFieldFloat32(id, v as number, null);
    else if (kind === 'bool') b.addFieldInt8(id, v ? 1 : 0, null);
    else b.addFieldOffset(id, vectors[i], 0);
  });
  return b.endObject();
}

export function buildTflite(spec: Spec): Uint8Array {
  const codes = [...new Set(spec.ops.map((o) => o.code))];
  // buffers: 0 is the empty sentinel, then one per constant tensor
  const bufferOf = new Map<number, number>();
  spec.tensors.forEach((t, i) => { if (t.data) bufferOf.set(i, bufferOf.size + 1); });
  if (!spec.externalBuffers) return buildOnce(spec, codes, bufferOf, undefined);
  // External data goes after the flatbuffer: [flatbuffer][pad][data...]. Offsets are fixed-width fields, so a
  // first build with zero offsets gives the flatbuffer's size; the second writes the real offsets.
  const size = buildOnce(spec, codes, bufferOf, new Map()).length;
  const offsets = new Map<number, bigint>();
  let at = size + 16;
  spec.tensors.forEach((t, i) => { if (t.data) { offsets.set(i, BigInt(at)); at += t.data.length; } });
  const fb = buildOnce(spec, codes, bufferOf, offsets);
  const out = new Uint8Array(at);
  out.set(fb);
  spec.tensors.forEach((t, i) => { if (t.data) out.set(t.data, Number(offsets.get(i))); });
  return out;
}

function buildOnce(spec: Spec, codes: number[], bufferOf: Map<number, number>, external: Map<number, bigint> | undefined): Uint8Array {
  const b = new flatbuffers.Builder(1024);
  const bufferTables: number[] = [table(b, [])];
  spec.tensors.forEach((t, i) => {
    if (!t.data) return;
    if (external) {
      b.startObject(3); b.addFieldInt64(1, external.get(i) ?? 0n, null); b.addFieldInt64(2, BigInt(t.data.length), null);
      bufferTables.push(b.endObject());
      return;
    }
    b.startVector(1, t.data.length, 16);
    for (let j = t.data.length - 1; j >= 0; j--) b.addInt8(t.data[j]);
    const vec = b.endVector();
    b.startObject(1); b.addFieldOffset(0, vec, 0); bufferTables.push(b.endObject());
  });
  const tensors = spec.tensors.map((t, i) => {
    const name = b.createString(t.name);
    const shape = intVector(b, t.shape);
    let quant = 0;
    if (t.scale) {
      b.startVector(4, t.scale.length, 4);
      for (let k = t.scale.length - 1; k >= 0; k--) b.addFloat32(t.scale[k]);
      const scale = b.endVector();
      const zps = t.zeroPoint ?? t.scale.map(() => 0);
      b.startVector(8, zps.length, 8);
      for (let k = zps.length - 1; k >= 0; k--) b.addInt64(BigInt(zps[k]));
      const zp = b.endVector();
      b.startObject(7);
      b.addFieldOffset(2, scale, 0); b.addFieldOffset(3, zp, 0); b.addFieldInt32(6, t.quantizedDimension ?? 0, null);
      quant = b.endObject();
    }
    b.startObject(5);
    b.addFieldOffset(0, shape, 0); b.addFieldInt8(1, t.type, null); b.addFieldInt32(2, bufferOf.get(i) ?? 0, null);
    b.addFieldOffset(3, name, 0); if (quant) b.addFieldOffset(4, quant, 0);
    return b.endObject();
  });
  const ops = spec.ops.map((o) => {
    const inputs = intVector(b, o.inputs), outputs = intVector(b, o.outputs);
    const options = o.options ? table(b, o.options) : 0;
    b.startObject(5);
    b.addFieldInt32(0, codes.indexOf(o.code), null); b.addFieldOffset(1, inputs, 0); b.addFieldOffset(2, outputs, 0);
    if (o.optionsType) { b.addFieldInt8(3, o.optionsType, null); b.addFieldOffset(4, options, 0); }
    return b.endObject();
  });
  const tensorVec = vectorOfOffsets(b, tensors), opVec = vectorOfOffsets(b, ops);
  const inputs = intVector(b, spec.inputs), outputs = intVector(b, spec.outputs);
  b.startObject(5);
  b.addFieldOffset(0, tensorVec, 0); b.addFieldOffset(1, inputs, 0); b.addFieldOffset(2, outputs, 0); b.addFieldOffset(3, opVec, 0);
  const subgraph = b.endObject();
  const codeTables = codes.map((c) => {
    b.startObject(4);
    b.addFieldInt8(0, Math.min(c, 127), null); b.addFieldInt32(2, 1, null);
    if (!spec.deprecatedCodesOnly || c >= 127) b.addFieldInt32(3, c, null);
    return b.endObject();
  });
  const codeVec = vectorOfOffsets(b, codeTables), subgraphVec = vectorOfOffsets(b, [subgraph]), bufferVec = vectorOfOffsets(b, bufferTables);
  const description = b.createString('built by a wasmq test');
  b.startObject(5);
  b.addFieldInt32(0, 3, null); b.addFieldOffset(1, codeVec, 0); b.addFieldOffset(2, subgraphVec, 0);
  b.addFieldOffset(3, description, 0); b.addFieldOffset(4, bufferVec, 0);
  b.finish(b.endObject(), 'TFL3');
  return b.asUint8Array().slice();
}

function vectorOfOffsets(b: flatbuffers.Builder, items: number[]): number {
  b.startVector(4, items.length, 4);
  for (let i = items.length - 1; i >= 0; i--) b.addOffset(items[i]);
  return b.endVector();
}

export const bytesOf = (a: Int8Array | Int32Array | Uint8Array | BigInt64Array): Uint8Array => new Uint8Array(a.buffer.slice(a.byteOffset, a.byteOffset + a.byteLength));
