// The error the kernels' prepare-time helpers throw for parameters the kernels cannot take, and shared checks.
import { WasmqError } from '../errors.js';

/** A kernel parameter (shape, scale, zero point, axis, ...) is invalid; the message names the op and field. */
export class KernelParamsError extends WasmqError {}

/** An integer >= min that keeps int32 products small. */
export function checkInt(op: string, field: string, v: number, min: number): void {
  if (!Number.isInteger(v) || v < min || v > 0x7fffffff) throw new KernelParamsError('BAD_PARAM', `${op}: ${field} must be an integer >= ${min}, got ${v}`);
}

/** An 8-bit zero point inside [qmin, qmax] (int8 by default). */
export function checkZeroPoint(op: string, field: string, zp: number, qmin = -128, qmax = 127): void {
  if (!Number.isInteger(zp) || zp < qmin || zp > qmax) throw new KernelParamsError('BAD_ZERO_POINT', `${op}: ${field} ${zp} is outside [${qmin}, ${qmax}]`);
}

/** A positive finite scale. */
export function checkScale(op: string, field: string, s: number): void {
  if (!(s > 0) || !Number.isFinite(s)) throw new KernelParamsError('BAD_SCALE', `${op}: ${field} must be a positive finite number, got ${s}`);
}

/** Clamp bounds inside [lo, hi] (int8 by default) with qmin <= qmax. */
export function checkClamp(op: string, qmin: number, qmax: number, lo = -128, hi = 127): void {
  if (!Number.isInteger(qmin) || !Number.isInteger(qmax) || qmin < lo || qmax > hi || qmin > qmax) {
    throw new KernelParamsError('BAD_CLAMP', `${op}: clamp range [${qmin}, ${qmax}] is not inside [${lo}, ${hi}]`);
  }
}
