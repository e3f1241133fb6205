// NumPy .npy files (format versions 1.0, 2.0 and 3.0): little-endian float32, int8, uint8 and int32 arrays in
// C order. Anything else is a typed error naming the file and what is wrong.
import { WasmqError } from '../runtime/errors.js';

export type NpyData = Float32Array | Int8Array | Uint8Array | Int32Array;

export interface NpyArray {
  data: NpyData;
  shape: number[];
}

/** A .npy file this reader does not take. */
export class NpyError extends WasmqError {}

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

const DESCR: Record<string, { ctor: new (n: number) => NpyData; size: number }> = {
  '<f4': { ctor: Float32Array, size: 4 },
  '<i4': { ctor: Int32Array, size: 4 },
  '|i1': { ctor: Int8Array, size: 1 },
  '<i1': { ctor: Int8Array, size: 1 },
  '|u1': { ctor: Uint8Array, size: 1 },
  '<u1': { ctor: Uint8Array, size: 1 },
};

function descrOf(data: NpyData): string {
  if (data instanceof Float32Array) return '<f4';
  if (data instanceof Int32Array) return '<i4';
  if (data instanceof Int8Array) return '|i1';
  return '|u1';
}

export function readNpy(bytes: Uint8Array, name = 'the .npy data'): NpyArray {
  const fail = (code: string, msg: string): never => {
    throw new NpyError(code, `${name}: ${msg}`);
  };
  if (bytes.length < 10 || MAGIC.some((b, i) => bytes[i] !== b)) fail('BAD_NPY', 'not a .npy file (no \\x93NUMPY magic)');
  const major = bytes[6];
  if (major < 1 || major > 3) fail('BAD_NPY', `unsupported .npy format version ${major}.${bytes[7]}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const lenBytes = major === 1 ? 2 : 4;
  if (bytes.length < 8 + lenBytes) fail('BAD_NPY', 'truncated header');
  const headerLen = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const dataStart = 8 + lenBytes + headerLen;
  if (dataStart > bytes.length) fail('BAD_NPY', `header of ${headerLen} bytes runs past the end of the file`);
  const header = new TextDecoder(major === 3 ? 'utf-8' : 'latin1').decode(bytes.subarray(8 + lenBytes, dataStart));

  const descr = /'descr'\s*:\s*'([^']*)'/.exec(header)?.[1];
  const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(header)?.[1];
  const shapeText = /'shape'\s*:\s*\(([^)]*)\)/.exec(header)?.[1];
  if (descr === undefined || fortran === undefined || shapeText === undefined) fail('BAD_NPY', `unreadable header ${JSON.stringify(header.trim())}`);
  const type = DESCR[descr!];
  if (!type) fail('UNSUPPORTED_NPY', `dtype '${descr}' is not supported (use float32 '<f4', int8 '|i1', uint8 '|u1' or int32 '<i4', little-endian)`);
  if (fortran === 'True') fail('UNSUPPORTED_NPY', 'Fortran-order arrays are not supported (save a C-contiguous array)');
  const dims = shapeText!.split(',').map((s) => s.trim()).filter((s) => s !== '');
  const shape = dims.map((d) => (/^\d+$/.test(d) ? Number(d) : fail('BAD_NPY', `bad dimension '${d}' in shape (${shapeText})`)));
  const count = shape.reduce((a, b) => a * b, 1);
  if (!Number.isSafeInteger(count * type.size)) fail('BAD_NPY', `shape (${shapeText}) is too large`);
  const dataBytes = bytes.length - dataStart;
  if (dataBytes !== count * type.size) fail('BAD_NPY', `shape (${shapeText}) of ${descr} needs ${count * type.size} bytes of data, the file has ${dataBytes}`);
  const data = new type.ctor(count);
  new Uint8Array(data.buffer).set(bytes.subarray(dataStart)); // copy: the data may be unaligned
  return { data, shape };
}

export function writeNpy(data: NpyData, shape: readonly number[]): Uint8Array {
  const count = shape.reduce((a, b) => a * b, 1);
  if (count !== data.length) throw new NpyError('BAD_NPY', `shape [${shape}] holds ${count} values, the data has ${data.length}`);
  const shapeText = shape.length === 1 ? `${shape[0]},` : shape.join(', ');
  let header = `{'descr': '${descrOf(data)}', 'fortran_order': False, 'shape': (${shapeText}), }`;
  const v1 = header.length + 11 <= 65535;
  const prefix = v1 ? 10 : 12;
  // Pad with spaces so that the data starts 64-byte aligned; the header ends with a newline.
  header += ' '.repeat((64 - ((prefix + header.length + 1) % 64)) % 64) + '\n';
  const out = new Uint8Array(prefix + header.length + data.byteLength);
  out.set(MAGIC);
  out[6] = v1 ? 1 : 2;
  out[7] = 0;
  const view = new DataView(out.buffer);
  if (v1) view.setUint16(8, header.length, true);
  else view.setUint32(8, header.length, true);
  for (let i = 0; i < header.length; i++) out[prefix + i] = header.charCodeAt(i);
  out.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), prefix + header.length);
  return out;
}
