// Legacy uint8 models run on the int8 kernels: q8 = q_u8 - 128 and zp8 = zp_u8 - 128 represent exactly the
// same real values. The input model is never mutated; converted constants get fresh buffers.
import type { Model, TensorDef } from '../format/model.js';

export function toInt8Model(model: Model): Model {
  if (!model.tensors.some((t) => t.dtype === 'uint8')) return model;
  const buffers = model.buffers.slice();
  const converted = new Map<number, number>();
  const tensors = model.tensors.map((t): TensorDef => {
    if (t.dtype !== 'uint8') return t;
    const out: TensorDef = { ...t, dtype: 'int8' };
    if (t.quant) out.quant = { ...t.quant, zeroPoints: t.quant.zeroPoints.map((z) => z - 128) };
    if (t.buffer !== undefined && model.buffers[t.buffer]) {
      let b = converted.get(t.buffer);
      if (b === undefined) {
        const src = model.buffers[t.buffer];
        const dst = new Uint8Array(src.length);
        for (let i = 0; i < src.length; i++) dst[i] = src[i] ^ 0x80; // (u - 128) as an int8 bit pattern
        b = buffers.push(dst) - 1;
        converted.set(t.buffer, b);
      }
      out.buffer = b;
    }
    return out;
  });
  return { ...model, tensors, buffers };
}
