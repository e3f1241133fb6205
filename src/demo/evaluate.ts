// Accuracy and latency of classifiers over a labelled set, measured side by side: every image runs through each
// model in turn (after a warm-up), so both see the same machine conditions. Latency is per image, batch 1.
import type { WasmqModel } from '../runtime/loaded-model.js';

export interface DigitEval {
  accuracy: number;
  predictions: Uint8Array;
  /** median ms of one run (batch 1) */
  medianMs: number;
}

const WARMUP = 30;

export async function evaluateDigits(models: WasmqModel[], images: Float32Array, labels: Uint8Array, pixels: number): Promise<DigitEval[]> {
  const sessions = await Promise.all(models.map((m) => m.createSession()));
  const names = models.map((m) => ({ input: m.info.inputs[0].name, output: m.info.outputs[0].name }));
  const n = labels.length;
  const predictions = models.map(() => new Uint8Array(n));
  const times = models.map(() => new Float64Array(n));
  const image = (i: number) => images.subarray(i * pixels, (i + 1) * pixels);
  for (let i = 0; i < WARMUP; i++) for (let m = 0; m < models.length; m++) sessions[m].runSync({ [names[m].input]: image(i % n) });
  for (let i = 0; i < n; i++) {
    for (let m = 0; m < models.length; m++) {
      const t0 = performance.now();
      const out = sessions[m].runSync({ [names[m].input]: image(i) }) as Record<string, Float32Array>;
      times[m][i] = performance.now() - t0;
      predictions[m][i] = argmax(out[names[m].output]);
    }
  }
  for (const s of sessions) s.release();
  return models.map((_, m) => ({
    accuracy: predictions[m].reduce((k, p, i) => k + (p === labels[i] ? 1 : 0), 0) / n,
    predictions: predictions[m],
    medianMs: median(times[m]),
  }));
}

export function argmax(x: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < x.length; i++) if (x[i] > x[best]) best = i;
  return best;
}

function median(x: Float64Array): number {
  const s = Float64Array.from(x).sort();
  return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}
