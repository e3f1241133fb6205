// The error the kernels' prepare-time helpers throw for parameters the kernels cannot take.
import { WasmqError } from '../errors.js';

/** A kernel parameter (shape, scale, zero point, axis, ...) is invalid; the message names the op and field. */
export class KernelParamsError extends WasmqError {}

/** An integer >= min that keeps int32 products small. */
export function checkInt(op: string, field: string, v: number, min: number): void {
  if (!Number.isInteger(v) || v < min || v > 0x7fffffff) throw new KernelParamsError('BAD_PARAM', `${op}: ${field} must be an integer >= ${min}, got ${v}`);
}
