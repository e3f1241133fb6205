// 256-entry lookup tables for element-wise functions of one 8-bit tensor (QUANTIZATION.md §3):
//   table[byte] = quantize_out(f(dequantize_in(q))),  q = the byte read as the input type (int8 or uint8)
// The table is indexed by the raw input byte, which is what the lut8 kernel does (int8 q sits at q & 0xff).
// f is evaluated in double precision; quantize_out rounds half away from zero (TFLite) and saturates.
// A function value of NaN maps to the output zero point (real 0); +-Infinity saturates. Browser-safe.
import { WasmqError } from '../runtime/errors.js';
import { INT_RANGE, roundHalfAway, type IntType } from './affine.js';

export interface LutQuant {
  scale: number;
  zeroPoint: number;
  type?: IntType; // default 'int8'
}

function check(which: string, p: LutQuant): { qmin: number; qmax: number } {
  const range = INT_RANGE[p.type ?? 'int8'];
  if (!range) throw new WasmqError('BAD_LUT', `lookup table: ${which} type ${p.type} is not int8 or uint8`);
  if (!(p.scale > 0) || !Number.isFinite(p.scale)) throw new WasmqError('BAD_LUT', `lookup table: ${which} scale must be a positive finite number, got ${p.scale}`);
  if (!Number.isInteger(p.zeroPoint) || p.zeroPoint < range.qmin || p.zeroPoint > range.qmax) {
    throw new WasmqError('BAD_LUT', `lookup table: ${which} zero point ${p.zeroPoint} is outside [${range.qmin}, ${range.qmax}]`);
  }
  return range;
}

/** The quantized value of a real y: clamp(round_half_away(y / scale) + zp), NaN -> zp. */
export function quantizeReal(y: number, scale: number, zeroPoint: number, qmin: number, qmax: number): number {
  if (Number.isNaN(y)) return zeroPoint;
  const q = roundHalfAway(y / scale) + zeroPoint;
  return q < qmin ? qmin : q > qmax ? qmax : q;
}

/** The table of any real function f; stored as raw bytes (an int8 entry v is stored as v & 0xff). */
export function buildLut(f: (x: number) => number, input: LutQuant, output: LutQuant): Uint8Array {
  const inRange = check('input', input);
  const outRange = check('output', output);
  const table = new Uint8Array(256);
  for (let byte = 0; byte < 256; byte++) {
    const q = inRange.qmin < 0 && byte >= 128 ? byte - 256 : byte;
    const y = f(input.scale * (q - input.zeroPoint));
    table[byte] = quantizeReal(y, output.scale, output.zeroPoint, outRange.qmin, outRange.qmax) & 0xff;
  }
  return table;
}

export const logistic = (x: number): number => 1 / (1 + Math.exp(-x));
export const hardSwish = (x: number): number => (x * Math.min(Math.max(x + 3, 0), 6)) / 6;
export const relu = (x: number): number => Math.max(x, 0);
export const relu6 = (x: number): number => Math.min(Math.max(x, 0), 6);
export const leakyRelu = (alpha: number) => (x: number): number => (x >= 0 ? x : alpha * x);

/** Logistic (sigmoid). TFLite's int8 output is usually scale 1/256, zero point -128. */
export function logisticLut(input: LutQuant, output: LutQuant): Uint8Array {
  return buildLut(logistic, input, output);
}
/** Tanh. TFLite's int8 output is usually scale 1/128, zero point 0. */
export function tanhLut(input: LutQuant, output: LutQuant): Uint8Array {
  return buildLut(Math.tanh, input, output);
}
/** HardSwish: x * relu6(x + 3) / 6. */
export function hardSwishLut(input: LutQuant, output: LutQuant): Uint8Array {
  return buildLut(hardSwish, input, output);
}
/** LeakyRelu: x >= 0 ? x : alpha * x. */
export function leakyReluLut(alpha: number, input: LutQuant, output: LutQuant): Uint8Array {
  if (!Number.isFinite(alpha)) throw new WasmqError('BAD_LUT', `LeakyRelu: alpha must be finite, got ${alpha}`);
  return buildLut(leakyRelu(alpha), input, output);
}
/** Relu when input and output parameters differ (same parameters: a clamp to [zp, qmax] is enough). */
export function reluLut(input: LutQuant, output: LutQuant): Uint8Array {
  return buildLut(relu, input, output);
}
/** Relu6 when input and output parameters differ. */
export function relu6Lut(input: LutQuant, output: LutQuant): Uint8Array {
  return buildLut(relu6, input, output);
}
