// "Accuracy collapsed after quantization: which layer?" Runs the float and the int8 model on the same samples
// and measures, for every op output, the SQNR of the int8 result (dequantized) against the float one:
// 10 log10(sum f^2 / sum (f - q)^2). Tensor indices are shared by both models (the quantizer keeps them).
import type { Model } from '../../format/model.js';
import { loadModel } from '../../runtime/load.js';
import type { WasmSource } from '../../runtime/wasm.js';
import type { Sample } from '../calibrate/collect.js';

export interface LayerError {
  op: number;
  name: string;
  kind: string;
  tensor: string;
  /** signal-to-quantization-noise ratio in dB (Infinity when exact) */
  sqnrDb: number;
}

export async function layerErrors(floatModel: Model, int8Model: Model, samples: readonly Sample[], options: { wasm?: WasmSource; onSample?: (n: number) => void } = {}): Promise<LayerError[]> {
  const f = await (await loadModel(floatModel, { wasm: options.wasm })).createSession();
  const q = await (await loadModel(int8Model, { wasm: options.wasm })).createSession();
  const producers = new Map<number, number>();
  int8Model.ops.forEach((op, i) => op.outputs.forEach((t) => producers.set(t, i)));
  const signal = new Map<number, number>(), noise = new Map<number, number>();
  let n = 0;
  for (const sample of samples) {
    const floats = new Map<number, Float32Array>();
    await f.run(sample, { observe: (t, v) => { if (producers.has(t)) floats.set(t, Float32Array.from(v as Float32Array)); } });
    await q.run(sample, {
      observe: (t, v) => {
        const ref = floats.get(t);
        const quant = int8Model.tensors[t].quant;
        if (!ref) return;
        let s = 0, e = 0;
        if (v instanceof Int8Array && quant) {
          const scale = quant.scales[0], zp = quant.zeroPoints[0];
          for (let i = 0; i < ref.length; i++) { const d = ref[i] - scale * (v[i] - zp); s += ref[i] * ref[i]; e += d * d; }
        } else {
          const x = v as Float32Array;
          for (let i = 0; i < ref.length; i++) { const d = ref[i] - x[i]; s += ref[i] * ref[i]; e += d * d; }
        }
        signal.set(t, (signal.get(t) ?? 0) + s);
        noise.set(t, (noise.get(t) ?? 0) + e);
      },
    });
    options.onSample?.(++n);
  }
  f.release();
  q.release();
  const rows: LayerError[] = [];
  for (const [t, op] of producers) {
    if (!signal.has(t)) continue;
    const def = int8Model.ops[op];
    const e = noise.get(t)!, s = signal.get(t)!;
    rows.push({ op, name: def.name ?? `${def.kind} ${op}`, kind: def.kind, tensor: int8Model.tensors[t].name, sqnrDb: e === 0 ? Infinity : 10 * Math.log10(s / e) });
  }
  return rows.sort((a, b) => a.sqnrDb - b.sqnrDb);
}
