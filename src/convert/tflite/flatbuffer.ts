// A verifying FlatBuffers reader over a DataView: every offset, vtable, vector length and string is checked
// against the buffer before it is read, so a malformed file gives a ConvertError ('BAD_TFLITE') naming the
// field path (e.g. "subgraphs[0].tensors[3].shape") instead of a RangeError, a wrong value or a huge
// allocation. Vectors are bounded by the file's size, so nothing allocates more than the file implies.
// Binary layout facts (FlatBuffers' documented wire format): a table starts with an int32 soffset to its
// vtable (vtable = table - soffset); the vtable holds uint16 [vtable size, table size, field offsets...];
// field id i lives at vtable[2 + i] (0 = absent); offsets to tables/vectors/strings are uint32 relative to
// where they are stored; vectors and strings start with a uint32 element count.
import { ConvertError } from '../errors.js';

export interface Table {
  /** absolute position of the table */
  pos: number;
  /** absolute position of its vtable, and the vtable's length in bytes */
  vt: number;
  vtLen: number;
  /** the table's inline size in bytes */
  size: number;
  /** field path for error messages */
  path: string;
}

export interface VectorRef {
  /** absolute position of element 0 */
  start: number;
  length: number;
}

export class FlatBufferReader {
  readonly bytes: Uint8Array;
  private readonly dv: DataView;

  constructor(bytes: Uint8Array, private readonly source: string) {
    // A plain view, so that views handed out are plain Uint8Arrays even for a Node Buffer (whose slice() does
    // not copy).
    this.bytes = new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  fail(path: string, why: string): never {
    throw new ConvertError('BAD_TFLITE', `${this.source}: ${path}: ${why}`);
  }

  /** Checks that [pos, pos + n) lies inside the buffer. */
  private need(pos: number, n: number, path: string): void {
    if (!(pos >= 0 && n >= 0 && pos + n <= this.bytes.length)) {
      this.fail(path, `reaches bytes [${pos}, ${pos + n}) outside the ${this.bytes.length}-byte file`);
    }
  }

  /** The 4-byte file identifier stored after the root offset, or '' when the file is too short. */
  identifier(): string {
    if (this.bytes.length < 8) return '';
    return String.fromCharCode(...this.bytes.subarray(4, 8));
  }

  root(path: string): Table {
    this.need(0, 4, `${path} (root offset)`);
    return this.table(this.dv.getUint32(0, true), path);
  }

  table(pos: number, path: string): Table {
    this.need(pos, 4, path);
    const vt = pos - this.dv.getInt32(pos, true);
    this.need(vt, 4, `${path} (vtable)`);
    const vtLen = this.dv.getUint16(vt, true), size = this.dv.getUint16(vt + 2, true);
    if (vtLen < 4 || vtLen % 2 !== 0) this.fail(path, `vtable length ${vtLen} is invalid`);
    this.need(vt, vtLen, `${path} (vtable)`);
    if (size < 4) this.fail(path, `table size ${size} is smaller than its vtable offset`);
    this.need(pos, size, path);
    return { pos, vt, vtLen, size, path };
  }

  /** Absolute position of field `id` holding `width` bytes, or -1 when the field is absent. */
  private field(t: Table, id: number, width: number, name: string): number {
    const slot = 4 + 2 * id;
    if (slot + 2 > t.vtLen) return -1;
    const off = this.dv.getUint16(t.vt + slot, true);
    if (off === 0) return -1;
    if (off + width > t.size) this.fail(`${t.path}.${name}`, `field at ${off}+${width} lies outside its ${t.size}-byte table`);
    return t.pos + off;
  }

  u8(t: Table, id: number, name: string, dflt = 0): number {
    const p = this.field(t, id, 1, name);
    return p < 0 ? dflt : this.dv.getUint8(p);
  }

  i8(t: Table, id: number, name: string, dflt = 0): number {
    const p = this.field(t, id, 1, name);
    return p < 0 ? dflt : this.dv.getInt8(p);
  }

  bool(t: Table, id: number, name: string, dflt = false): boolean {
    const p = this.field(t, id, 1, name);
    return p < 0 ? dflt : this.dv.getUint8(p) !== 0;
  }

  i32(t: Table, id: number, name: string, dflt = 0): number {
    const p = this.field(t, id, 4, name);
    return p < 0 ? dflt : this.dv.getInt32(p, true);
  }

  u32(t: Table, id: number, name: string, dflt = 0): number {
    const p = this.field(t, id, 4, name);
    return p < 0 ? dflt : this.dv.getUint32(p, true);
  }

  f32(t: Table, id: number, name: string, dflt = 0): number {
    const p = this.field(t, id, 4, name);
    return p < 0 ? dflt : this.dv.getFloat32(p, true);
  }

  /** A 64-bit unsigned field as a number; values above 2^53 are refused. */
  u64(t: Table, id: number, name: string): number {
    const p = this.field(t, id, 8, name);
    if (p < 0) return 0;
    const v = this.dv.getBigUint64(p, true);
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) this.fail(`${t.path}.${name}`, `value ${v} is too large`);
    return Number(v);
  }

  /** Absolute target of the uoffset stored in field `id`, or -1 when absent. */
  private ref(t: Table, id: number, name: string): number {
    const p = this.field(t, id, 4, name);
    if (p < 0) return -1;
    const target = p + this.dv.getUint32(p, true);
    this.need(target, 4, `${t.path}.${name}`);
    return target;
  }

  subTable(t: Table, id: number, name: string): Table | undefined {
    const p = this.ref(t, id, name);
    return p < 0 ? undefined : this.table(p, `${t.path}.${name}`);
  }

  vector(t: Table, id: number, name: string, elemSize: number): VectorRef | undefined {
    const p = this.ref(t, id, name);
    if (p < 0) return undefined;
    const length = this.dv.getUint32(p, true);
    this.need(p + 4, length * elemSize, `${t.path}.${name} (${length} elements of ${elemSize} bytes)`);
    return { start: p + 4, length };
  }

  string(t: Table, id: number, name: string): string {
    const v = this.vector(t, id, name, 1);
    return v ? new TextDecoder().decode(this.bytes.subarray(v.start, v.start + v.length)) : '';
  }

  /** A [ubyte] vector as a view into the file (no copy). */
  bytesOf(t: Table, id: number, name: string): Uint8Array | undefined {
    const v = this.vector(t, id, name, 1);
    return v ? this.bytes.subarray(v.start, v.start + v.length) : undefined;
  }

  int32s(t: Table, id: number, name: string): number[] {
    const v = this.vector(t, id, name, 4);
    return v ? Array.from({ length: v.length }, (_, i) => this.dv.getInt32(v.start + 4 * i, true)) : [];
  }

  float32s(t: Table, id: number, name: string): Float32Array {
    const v = this.vector(t, id, name, 4);
    if (!v) return new Float32Array(0);
    const out = new Float32Array(v.length);
    for (let i = 0; i < v.length; i++) out[i] = this.dv.getFloat32(v.start + 4 * i, true);
    return out;
  }

  /** An int64 vector as numbers; values outside the safe-integer range are refused. */
  int64s(t: Table, id: number, name: string): number[] {
    const v = this.vector(t, id, name, 8);
    if (!v) return [];
    return Array.from({ length: v.length }, (_, i) => {
      const x = this.dv.getBigInt64(v.start + 8 * i, true);
      if (x > BigInt(Number.MAX_SAFE_INTEGER) || x < BigInt(-Number.MAX_SAFE_INTEGER)) this.fail(`${t.path}.${name}[${i}]`, `value ${x} is out of range`);
      return Number(x);
    });
  }

  /** A vector of tables, each verified. */
  tables(t: Table, id: number, name: string): Table[] {
    const v = this.vector(t, id, name, 4);
    if (!v) return [];
    return Array.from({ length: v.length }, (_, i) => {
      const at = v.start + 4 * i;
      return this.table(at + this.dv.getUint32(at, true), `${t.path}.${name}[${i}]`);
    });
  }
}
