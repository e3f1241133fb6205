// Shared by the ONNX/IR/pass tests: run a model with onnxruntime-node, compare outputs with a stated tolerance.
import * as ort from 'onnxruntime-node';
import * as assert from 'uvu/assert';
import { randomFloat32, type Rng } from '../../ref/prng.js';

export async function runOrt(bytes: Uint8Array, inputs: Record<string, { data: Float32Array; dims: number[] }>): Promise<Record<string, Float32Array>> {
  const session = await ort.InferenceSession.create(bytes, { graphOptimizationLevel: 'disabled' });
  const feeds: Record<string, ort.Tensor> = {};
  for (const [k, v] of Object.entries(inputs)) feeds[k] = new ort.Tensor('float32', v.data, v.dims);
  const out = await session.run(feeds);
  const result: Record<string, Float32Array> = {};
  for (const k of session.outputNames) result[k] = out[k].data as Float32Array;
  await session.release();
  return result;
}

/** max |a - b| / max(1, max |b|): relative to the reference's scale, absolute below 1. */
export function relError(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  let scale = 1, err = 0;
  for (let i = 0; i < expected.length; i++) scale = Math.max(scale, Math.abs(expected[i]));
  for (let i = 0; i < expected.length; i++) err = Math.max(err, Math.abs(actual[i] - expected[i]));
  return err / scale;
}

export function assertClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tol: number, what: string): void {
  assert.is(actual.length, expected.length, `${what}: length`);
  for (let i = 0; i < actual.length; i++) if (Number.isNaN(actual[i])) assert.unreachable(`${what}: NaN at ${i}`);
  const e = relError(actual, expected);
  assert.ok(e <= tol, `${what}: relative error ${e.toExponential(2)} > ${tol}`);
}

export function randomInput(rng: Rng, dims: number[], scale = 1): { data: Float32Array; dims: number[] } {
  return { data: randomFloat32(rng, dims.reduce((a, d) => a * d, 1), scale), dims };
}

/** NCHW data -> NHWC data. */
export function toNHWC(data: ArrayLike<number>, [n, c, h, w]: number[]): Float32Array {
  const out = new Float32Array(data.length);
  for (let b = 0; b < n; b++) for (let ch = 0; ch < c; ch++) for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) {
    out[((b * h + y) * w + x) * c + ch] = data[((b * c + ch) * h + y) * w + x];
  }
  return out;
}
