// Makes a .tflite model return one of its intermediate tensors as its output, by patching a copy in place
// (LiteRT.js only returns graph outputs, and only uint8 / float32 / int32 ones, not int8).
// - uint8 / float32 tensor t: subgraph 0's `outputs` vector is overwritten with t.
// - int8 tensor t: an existing QUANTIZE op int8 -> uint8 (a fully-quantized model with uint8 output has one at
//   the end) is re-aimed at t, and its output's quantization set to t's scale and zero point + 128: with equal
//   scales the requantization multiplier is exactly 1, so the output is exactly q + 128. The output's static
//   shape is rewritten to [1, ..., count] (same element count). The output is read back as int8 (minus 128).
import { locateVectors, readTflite, TensorType, type TfliteModel } from '../../src/convert/tflite/schema.js';
import { Builtin } from '../../src/convert/tflite/builtin-ops.js';

export interface ExposedModel {
  bytes: Uint8Array;
  /** turns the patched model's output back into the tensor's own values */
  decode(output: Uint8Array | Int8Array | Float32Array | Int32Array): Uint8Array | Int8Array | Float32Array | Int32Array;
}

export function exposeTensor(bytes: Uint8Array, tensor: number, tfl: TfliteModel = readTflite(bytes)): ExposedModel {
  const g = tfl.subgraphs[0];
  const t = g.tensors[tensor];
  const copy = new Uint8Array(bytes);
  const dv = new DataView(copy.buffer);
  if (t.type !== TensorType.INT8) {
    const { outputs } = locateVectors(bytes);
    for (let k = 0; k < outputs.length; k++) dv.setInt32(outputs.start + 4 * k, tensor, true);
    return { bytes: copy, decode: (o) => o };
  }
  const opIndex = g.operators.findIndex((op) => tfl.operatorCodes[op.opcodeIndex].builtinCode === Builtin.QUANTIZE
    && g.tensors[op.inputs[0]]?.type === TensorType.INT8 && g.tensors[op.outputs[0]]?.type === TensorType.UINT8 && g.outputs.includes(op.outputs[0]));
  if (opIndex < 0) throw new Error(`no int8 -> uint8 QUANTIZE op producing a graph output: cannot expose int8 tensor ${tensor}`);
  const out = g.operators[opIndex].outputs[0];
  const q = t.quantization!;
  const at = locateVectors(bytes, { op: opIndex, tensor: out });
  dv.setInt32(at.opInputs!.start, tensor, true);
  dv.setFloat32(at.scale!.start, q.scale[0], true);
  dv.setBigInt64(at.zeroPoint!.start, BigInt(q.zeroPoint[0] + 128), true);
  // the output's static shape must hold as many elements as t: [1, ..., 1, count] in its own rank
  const count = t.shape.reduce((a, b) => a * b, 1);
  for (let k = 0; k < at.shape!.length; k++) dv.setInt32(at.shape!.start + 4 * k, k === at.shape!.length - 1 ? count : 1, true);
  const { outputs } = locateVectors(bytes);
  for (let k = 0; k < outputs.length; k++) dv.setInt32(outputs.start + 4 * k, out, true);
  return {
    bytes: copy,
    decode: (o) => {
      const r = new Int8Array(o.length);
      for (let i = 0; i < o.length; i++) r[i] = (o[i] as number) - 128;
      return r;
    },
  };
}
