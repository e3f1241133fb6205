// Walks a .wasmq FlatBuffer before any generated accessor touches it. The flatbuffers runtime for TypeScript
// has no verifier: an accessor reading past the end returns 0 or garbage. After verifyStructure() accepts the
// bytes, every accessor that schema-layout.ts describes reads inside the buffer, every string is valid UTF-8,
// every required field is present and every union member is known.
//
// Work and the size of what the reader will later copy out are bounded together: each table, vector and
// string visited is charged its size, and the sum may not exceed twice the file (a file written by
// writeModel shares no objects, so it is charged at most once per byte). Sharing one large vector from many
// tables therefore cannot blow up time or memory.

import { ModelError } from './errors.js';
import { MODEL, type FieldLayout, type TableLayout } from './schema-layout.js';

export const FILE_IDENTIFIER = 'WQM1';
/** FlatBuffers offsets are 32-bit; the format caps files below 2 GiB like the reference implementation. */
export const MAX_FILE_BYTES = 2 ** 31 - 1;

const utf8 = new TextDecoder('utf-8', { fatal: true });

class StructureVerifier {
  private readonly view: DataView;
  private readonly length: number;
  private budget: number;

  constructor(private readonly bytes: Uint8Array) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.length = bytes.byteLength;
    this.budget = 2 * bytes.byteLength;
  }

  run(): void {
    if (this.length > MAX_FILE_BYTES) throw new ModelError('TOO_LARGE', `file of ${this.length} bytes exceeds 2 GiB`);
    if (this.length < 8) throw new ModelError('TRUNCATED', `file of ${this.length} bytes is shorter than the 8-byte header`);
    let id = '';
    for (let i = 4; i < 8; i++) id += String.fromCharCode(this.bytes[i]!);
    if (id !== FILE_IDENTIFIER) {
      throw new ModelError('BAD_MAGIC', `file identifier is ${JSON.stringify(id)}, expected "${FILE_IDENTIFIER}" (not a .wasmq model)`);
    }
    this.table(this.deref(0, 'root offset'), MODEL, 'Model');
  }

  private charge(bytes: number, path: string): void {
    this.budget -= bytes;
    if (this.budget < 0) {
      throw new ModelError('TOO_LARGE', `${path}: objects referenced more than the file holds (shared or overlapping data)`);
    }
  }

  /** Follows the uoffset stored at `pos` (already known to be inside the buffer). */
  private deref(pos: number, path: string): number {
    if (pos % 4 !== 0) throw new ModelError('BAD_ALIGNMENT', `${path}: offset at byte ${pos} is not 4-byte aligned`);
    const offset = this.view.getUint32(pos, true);
    const target = pos + offset;
    if (offset === 0 || offset > 0x7fffffff || target >= this.length) {
      throw new ModelError('BAD_OFFSET', `${path}: offset ${offset} at byte ${pos} points outside the file`);
    }
    return target;
  }

  private table(pos: number, layout: TableLayout, path: string): void {
    if (pos % 4 !== 0) throw new ModelError('BAD_ALIGNMENT', `${path}: table at byte ${pos} is not 4-byte aligned`);
    if (pos + 4 > this.length) throw new ModelError('TRUNCATED', `${path}: table at byte ${pos} runs past the end`);
    const vtable = pos - this.view.getInt32(pos, true);
    if (vtable < 0 || vtable % 2 !== 0 || vtable + 4 > this.length) {
      throw new ModelError('BAD_VTABLE', `${path}: vtable at byte ${vtable} is outside the file or misaligned`);
    }
    const vtableSize = this.view.getUint16(vtable, true);
    const tableSize = this.view.getUint16(vtable + 2, true);
    if (vtableSize < 4 || vtableSize % 2 !== 0 || vtable + vtableSize > this.length) {
      throw new ModelError('BAD_VTABLE', `${path}: vtable size ${vtableSize} at byte ${vtable} is invalid`);
    }
    if (tableSize < 4 || pos + tableSize > this.length) {
      throw new ModelError('BAD_VTABLE', `${path}: table size ${tableSize} at byte ${pos} runs past the end`);
    }
    this.charge(tableSize, path);
    const slots = (vtableSize - 4) / 2;
    // Field position inside the buffer, or 0 when absent.
    const fieldAt = (slot: number, size: number, name: string): number => {
      if (slot >= slots) return 0;
      const offset = this.view.getUint16(vtable + 4 + 2 * slot, true);
      if (offset === 0) return 0;
      if (offset < 4 || offset + size > tableSize) {
        throw new ModelError('BAD_VTABLE', `${path}.${name}: field offset ${offset} outside its table of ${tableSize} bytes`);
      }
      const at = pos + offset;
      if (at % size !== 0) throw new ModelError('BAD_ALIGNMENT', `${path}.${name}: field at byte ${at} is not ${size}-byte aligned`);
      return at;
    };
    layout.fields.forEach((field, slot) => {
      const at = fieldAt(slot, field.kind === 'scalar' ? field.size : 4, field.name);
      const where = `${path}.${field.name}`;
      if (at === 0) {
        if ('required' in field && field.required) throw new ModelError('MISSING_FIELD', `${where} is required but absent`);
        return;
      }
      this.field(field, at, slot, where, fieldAt);
    });
  }

  private field(
    field: FieldLayout, at: number, slot: number, where: string,
    fieldAt: (slot: number, size: number, name: string) => number,
  ): void {
    switch (field.kind) {
      case 'scalar':
        return;
      case 'string':
        return this.string(this.deref(at, where), where);
      case 'vector':
        this.vector(this.deref(at, where), field.elemSize, field.align ?? field.elemSize, where);
        return;
      case 'strings': {
        const { start, count } = this.vector(this.deref(at, where), 4, 4, where);
        for (let i = 0; i < count; i++) this.string(this.deref(start + 4 * i, `${where}[${i}]`), `${where}[${i}]`);
        return;
      }
      case 'table':
        return this.table(this.deref(at, where), field.table, where);
      case 'tables': {
        const { start, count } = this.vector(this.deref(at, where), 4, 4, where);
        for (let i = 0; i < count; i++) this.table(this.deref(start + 4 * i, `${where}[${i}]`), field.table, `${where}[${i}]`);
        return;
      }
      case 'union': {
        const typeAt = fieldAt(slot - 1, 1, `${field.name}_type`);
        const type = typeAt === 0 ? 0 : this.bytes[typeAt]!;
        if (type === 0) throw new ModelError('BAD_TYPE', `${where} is present but its type is NONE`);
        const member = field.members[type - 1];
        if (!member) throw new ModelError('BAD_TYPE', `${where}: unknown type ${type}`);
        return this.table(this.deref(at, where), member, `${where}<${member.name}>`);
      }
    }
  }

  /** A vector's length prefix and body; `align` applies to the first element. */
  private vector(pos: number, elemSize: number, align: number, path: string): { start: number; count: number } {
    if (pos % 4 !== 0) throw new ModelError('BAD_ALIGNMENT', `${path}: vector at byte ${pos} is not 4-byte aligned`);
    if (pos + 4 > this.length) throw new ModelError('TRUNCATED', `${path}: vector length at byte ${pos} runs past the end`);
    const count = this.view.getUint32(pos, true);
    const start = pos + 4;
    const bytes = count * elemSize; // < 2^35, exact in a double
    if (bytes > this.length - start) {
      throw new ModelError('TRUNCATED', `${path}: vector of ${count} elements at byte ${pos} runs past the end`);
    }
    if (start % align !== 0) {
      throw new ModelError('BAD_ALIGNMENT', `${path}: vector data at byte ${start} is not ${align}-byte aligned`);
    }
    this.charge(4 + bytes, path);
    return { start, count };
  }

  private string(pos: number, path: string): void {
    if (pos % 4 !== 0) throw new ModelError('BAD_ALIGNMENT', `${path}: string at byte ${pos} is not 4-byte aligned`);
    if (pos + 4 > this.length) throw new ModelError('TRUNCATED', `${path}: string length at byte ${pos} runs past the end`);
    const count = this.view.getUint32(pos, true);
    const start = pos + 4;
    if (count + 1 > this.length - start) throw new ModelError('TRUNCATED', `${path}: string of ${count} bytes runs past the end`);
    if (this.bytes[start + count] !== 0) throw new ModelError('BAD_STRING', `${path}: string is not zero-terminated`);
    this.charge(5 + count, path);
    try {
      utf8.decode(this.bytes.subarray(start, start + count));
    } catch {
      throw new ModelError('BAD_STRING', `${path}: string is not valid UTF-8`);
    }
  }
}

/** Throws a ModelError unless every offset, vtable, vector and string of the file lies inside it. */
export function verifyStructure(bytes: Uint8Array): void {
  if (!(bytes instanceof Uint8Array)) throw new ModelError('BAD_MAGIC', 'model bytes must be a Uint8Array');
  new StructureVerifier(bytes).run();
}
