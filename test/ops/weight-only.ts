// Test helper: an int8 (or uint8) model rewritten as the float model that computes the same function without
// activation quantization: activations float32, Quantize/Dequantize removed, int32 biases as float32
// (b * s_in * s_w[c]); symmetric int8 weights stay int8 (a weight-only model), any other quantized weights are
// dequantized to float32. Graph inputs take real values.
import type { Model, OpDef, TensorDef } from '../../src/format/model.js';
import { constantValues } from '../ref/float-model.js';

const WEIGHTED = new Set(['Conv2D', 'DepthwiseConv2D', 'FullyConnected']);

function floatConstant(m: Model, tensors: TensorDef[], buffers: Uint8Array[], t: TensorDef, values: Float64Array): number {
  const buffer = buffers.push(new Uint8Array(Float32Array.from(values).buffer)) - 1;
  return tensors.push({ name: `${t.name}/float`, shape: t.shape, dtype: 'float32', buffer }) - 1;
}

export function toWeightOnly(m: Model): Model {
  const tensors: TensorDef[] = m.tensors.map((t) => ({ ...t }));
  const buffers = m.buffers.slice();
  const alias = new Map<number, number>();
  const ops: OpDef[] = [];
  for (const op of m.ops) {
    const inputs = op.inputs.map((i) => alias.get(i) ?? i);
    if (op.kind === 'Quantize' || op.kind === 'Dequantize') {
      alias.set(op.outputs[0], inputs[0]);
      continue;
    }
    if (WEIGHTED.has(op.kind)) {
      const x = m.tensors[inputs[0]], w = m.tensors[inputs[1]];
      const symmetricInt8 = w.dtype === 'int8' && w.quant!.zeroPoints.every((z) => z === 0);
      if (!symmetricInt8) inputs[1] = floatConstant(m, tensors, buffers, w, constantValues(m, w));
      if (inputs[2] !== undefined) {
        const b = m.tensors[inputs[2]];
        const bias = constantValues(m, b).map((v, c) => v * x.quant!.scales[0] * w.quant!.scales[w.quant!.scales.length === 1 ? 0 : c]);
        inputs[2] = floatConstant(m, tensors, buffers, b, bias);
      }
    }
    ops.push({ ...op, inputs } as OpDef);
  }
  tensors.forEach((t) => {
    if (t.buffer === undefined) {
      t.dtype = 'float32';
      delete t.quant;
    }
  });
  return { ...m, tensors, buffers, ops, outputs: m.outputs.map((o) => alias.get(o) ?? o) };
}
