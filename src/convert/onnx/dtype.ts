// Element types of ONNX tensors as wasmq names them, with the ONNX enum values and byte widths.
import { ONNX_DTYPE } from './proto.js';

export type OnnxElemType =
  | 'float32' | 'float64' | 'float16' | 'int8' | 'uint8' | 'int16' | 'uint16' | 'int32' | 'uint32' | 'int64'
  | 'uint64' | 'bool';

export const ELEM_TYPE_CODE: Record<OnnxElemType, number> = {
  float32: ONNX_DTYPE.FLOAT, float64: ONNX_DTYPE.DOUBLE, float16: ONNX_DTYPE.FLOAT16, int8: ONNX_DTYPE.INT8,
  uint8: ONNX_DTYPE.UINT8, int16: ONNX_DTYPE.INT16, uint16: ONNX_DTYPE.UINT16, int32: ONNX_DTYPE.INT32,
  uint32: ONNX_DTYPE.UINT32, int64: ONNX_DTYPE.INT64, uint64: ONNX_DTYPE.UINT64, bool: ONNX_DTYPE.BOOL,
};

export const ELEM_TYPE_SIZE: Record<OnnxElemType, number> = {
  float32: 4, float64: 8, float16: 2, int8: 1, uint8: 1, int16: 2, uint16: 2, int32: 4, uint32: 4, int64: 8,
  uint64: 8, bool: 1,
};

const BY_CODE = new Map<number, OnnxElemType>(
  (Object.entries(ELEM_TYPE_CODE) as [OnnxElemType, number][]).map(([k, v]) => [v, k]),
);

/** The wasmq name of an ONNX data type code, or undefined for types wasmq does not read (string, complex, ...). */
export function elemTypeOf(code: number | undefined): OnnxElemType | undefined {
  return code === undefined ? undefined : BY_CODE.get(code);
}

export function isFloatType(t: OnnxElemType): boolean {
  return t === 'float32' || t === 'float64' || t === 'float16';
}

/** Little-endian element bytes of values (integers rounded toward zero by the typed array conversions). */
export function encodeElements(type: OnnxElemType, values: ArrayLike<number>): Uint8Array {
  const n = values.length;
  const bytes = new Uint8Array(n * ELEM_TYPE_SIZE[type]);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < n; i++) {
    const v = values[i];
    switch (type) {
      case 'float32': view.setFloat32(i * 4, v, true); break;
      case 'float64': view.setFloat64(i * 8, v, true); break;
      case 'float16': view.setUint16(i * 2, toHalf(v), true); break;
      case 'int8': view.setInt8(i, v); break;
      case 'uint8': case 'bool': view.setUint8(i, v); break;
      case 'int16': view.setInt16(i * 2, v, true); break;
      case 'uint16': view.setUint16(i * 2, v, true); break;
      case 'int32': view.setInt32(i * 4, v, true); break;
      case 'uint32': view.setUint32(i * 4, v, true); break;
      case 'int64': view.setBigInt64(i * 8, BigInt(Math.trunc(v)), true); break;
      case 'uint64': view.setBigUint64(i * 8, BigInt(Math.trunc(v)), true); break;
    }
  }
  return bytes;
}

/** Element values of little-endian bytes as doubles (int64 beyond 2^53 loses precision, fine for shapes). */
export function decodeElements(type: OnnxElemType, bytes: Uint8Array, n: number): Float64Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    switch (type) {
      case 'float32': out[i] = view.getFloat32(i * 4, true); break;
      case 'float64': out[i] = view.getFloat64(i * 8, true); break;
      case 'float16': out[i] = fromHalf(view.getUint16(i * 2, true)); break;
      case 'int8': out[i] = view.getInt8(i); break;
      case 'uint8': case 'bool': out[i] = view.getUint8(i); break;
      case 'int16': out[i] = view.getInt16(i * 2, true); break;
      case 'uint16': out[i] = view.getUint16(i * 2, true); break;
      case 'int32': out[i] = view.getInt32(i * 4, true); break;
      case 'uint32': out[i] = view.getUint32(i * 4, true); break;
      case 'int64': out[i] = Number(view.getBigInt64(i * 8, true)); break;
      case 'uint64': out[i] = Number(view.getBigUint64(i * 8, true)); break;
    }
  }
  return out;
}

/** IEEE half bits to a number. */
export function fromHalf(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * frac * 2 ** -24;
  if (exp === 31) return frac ? NaN : sign * Infinity;
  return sign * (1 + frac / 1024) * 2 ** (exp - 15);
}

/** A number to IEEE half bits (round to nearest even through float32 is close enough for test data). */
export function toHalf(v: number): number {
  const f = new Float32Array([v]);
  const x = new Uint32Array(f.buffer)[0];
  const sign = (x >>> 16) & 0x8000;
  const exp = ((x >>> 23) & 0xff) - 127 + 15;
  let frac = x & 0x7fffff;
  if (((x >>> 23) & 0xff) === 0xff) return sign | 0x7c00 | (frac ? 0x200 : 0);
  if (exp >= 31) return sign | 0x7c00;
  if (exp <= 0) {
    if (exp < -10) return sign;
    frac |= 0x800000;
    const shift = 14 - exp;
    const half = (frac >> shift) + ((frac >> (shift - 1)) & 1);
    return sign | half;
  }
  const r = (exp << 10) | (frac >> 13);
  return sign | (r + ((frac >> 12) & 1));
}
