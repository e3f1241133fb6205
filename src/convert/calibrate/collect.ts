// Runs a float model over calibration samples and gathers, in one pass, the statistics every clip-range method
// needs for every activation tensor (graph inputs and op outputs). The model is executed by whatever runs float
// models (the runtime's float32 twin kernels); this module only observes.
import type { Model } from '../../format/model.js';
import { ActivationStats } from './histogram.js';
import { clipRange, type CalibrationMethod, type ClipOptions, type ClipRange } from './methods.js';

/** Executes the float model on one sample, handing every activation tensor to `observe` as it is produced. */
export type ObservedRun = (feeds: Record<string, Float32Array>, observe: (tensor: number, values: Float32Array) => void) => Promise<void>;

export type Sample = Record<string, Float32Array>;

export interface CollectOptions {
  /** called after each sample, for progress bars */
  onSample?: (done: number) => void;
}

/** Statistics per activation tensor index over all samples. */
export async function collectStats(model: Model, samples: Iterable<Sample> | AsyncIterable<Sample>, run: ObservedRun, options: CollectOptions = {}): Promise<Map<number, ActivationStats>> {
  const stats = new Map<number, ActivationStats>();
  const activations = new Set<number>(model.inputs);
  for (const op of model.ops) for (const t of op.outputs) activations.add(t);
  for (const t of activations) if (model.tensors[t].dtype === 'float32') stats.set(t, new ActivationStats());
  let n = 0;
  for await (const sample of samples) {
    await run(sample, (t, values) => stats.get(t)?.observe(values));
    options.onSample?.(++n);
  }
  return stats;
}

/** Clip ranges of every tensor for one method. */
export function rangesFrom(stats: ReadonlyMap<number, ActivationStats>, method: CalibrationMethod, options: ClipOptions = {}): Map<number, ClipRange> {
  const ranges = new Map<number, ClipRange>();
  for (const [t, s] of stats) ranges.set(t, clipRange(s, method, options));
  return ranges;
}
