// Finding fields inside a .wasmq file, for tests that damage one specific field.

export const u32 = (b: Uint8Array, pos: number) => new DataView(b.buffer, b.byteOffset).getUint32(pos, true);
export const setU32 = (b: Uint8Array, pos: number, v: number) => new DataView(b.buffer, b.byteOffset).setUint32(pos, v, true);
export const setI32 = (b: Uint8Array, pos: number, v: number) => new DataView(b.buffer, b.byteOffset).setInt32(pos, v, true);
export const setU16 = (b: Uint8Array, pos: number, v: number) => new DataView(b.buffer, b.byteOffset).setUint16(pos, v, true);

export function rootTable(b: Uint8Array): number {
  return u32(b, 0);
}

export function vtableOf(b: Uint8Array, table: number): number {
  return table - new DataView(b.buffer, b.byteOffset).getInt32(table, true);
}

/** Byte position of the vtable entry for field `slot` (it holds the field's offset in the table). */
export function vtableEntry(b: Uint8Array, table: number, slot: number): number {
  return vtableOf(b, table) + 4 + 2 * slot;
}

/** Byte position of field `slot` of the table at `table`; throws when the field is absent. */
export function fieldPos(b: Uint8Array, table: number, slot: number): number {
  const vt = vtableOf(b, table);
  const size = new DataView(b.buffer, b.byteOffset).getUint16(vt, true);
  const off = 4 + 2 * slot < size ? new DataView(b.buffer, b.byteOffset).getUint16(vt + 4 + 2 * slot, true) : 0;
  if (off === 0) throw new Error(`field ${slot} absent`);
  return table + off;
}

/** Follows the offset stored in field `slot` (table, vector or string). */
export function follow(b: Uint8Array, table: number, slot: number): number {
  const pos = fieldPos(b, table, slot);
  return pos + u32(b, pos);
}

/** The table that element i of a vector of tables (vector at `vec`) points to. */
export function element(b: Uint8Array, vec: number, i: number): number {
  const pos = vec + 4 + 4 * i;
  return pos + u32(b, pos);
}

/** Model field slots. */
export const MODEL_SLOT = { version: 0, tensors: 1, buffers: 2, ops: 3, inputs: 4, outputs: 5, metadata: 6 } as const;
export const TENSOR_SLOT = { name: 0, shape: 1, dtype: 2, quantization: 3, buffer: 4, bits: 5, packing: 6 } as const;
export const OP_SLOT = { kind: 0, name: 1, inputs: 2, outputs: 3, optionsType: 4, options: 5 } as const;

export function tensorTable(b: Uint8Array, i: number): number {
  return element(b, follow(b, rootTable(b), MODEL_SLOT.tensors), i);
}

export function opTable(b: Uint8Array, i: number): number {
  return element(b, follow(b, rootTable(b), MODEL_SLOT.ops), i);
}
