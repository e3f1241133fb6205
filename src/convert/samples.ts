// Calibration samples as the float Model takes them. Users give samples as they would feed the ONNX model
// (named like its inputs, NCHW for images); the layout pass made rank-4 inputs NHWC, so those are transposed.
import type { Model } from '../format/model.js';
import type { Graph } from './ir/graph.js';
import type { Sample } from './calibrate/collect.js';
import { ConvertError } from './errors.js';

export function modelSamplesFrom(model: Model, graph: Graph, samples: readonly Sample[]): Sample[] {
  return samples.map((sample, s) => {
    const out: Sample = {};
    for (const i of model.inputs) {
      const t = model.tensors[i];
      const data = sample[t.name];
      const n = t.shape.reduce((a, b) => a * b, 1);
      if (!(data instanceof Float32Array)) throw new ConvertError('CALIBRATION', `calibration sample ${s}: input '${t.name}' is missing or not a Float32Array`);
      if (data.length !== n) throw new ConvertError('CALIBRATION', `calibration sample ${s}: input '${t.name}' has ${data.length} values, the model takes ${n} (shape ${t.shape.join('x')})`);
      out[t.name] = t.shape.length === 4 && graph.layout === 'NHWC' ? nchwToNhwc(data, t.shape) : data;
    }
    return out;
  });
}

/** [N, C, H, W] data into the NHWC shape `nhwc` = [N, H, W, C]. */
export function nchwToNhwc(x: Float32Array, nhwc: readonly number[]): Float32Array {
  const [n, h, w, c] = nhwc;
  if (c === 1) return x;
  const y = new Float32Array(x.length);
  for (let b = 0; b < n; b++) for (let ch = 0; ch < c; ch++) for (let i = 0; i < h * w; i++) {
    y[(b * h * w + i) * c + ch] = x[(b * c + ch) * h * w + i];
  }
  return y;
}

/** `count` seeded standard-normal inputs: calibration on noise, only on explicit request. */
export function randomSamples(model: Model, count: number): Sample[] {
  let s = 0x9e3779b9;
  const uniform = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) + 0.5) / 4294967296;
  const normal = () => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
  return Array.from({ length: count }, () => {
    const out: Sample = {};
    for (const i of model.inputs) {
      const t = model.tensors[i];
      const x = new Float32Array(t.shape.reduce((a, b) => a * b, 1));
      for (let k = 0; k < x.length; k++) x[k] = normal();
      out[t.name] = x;
    }
    return out;
  });
}
