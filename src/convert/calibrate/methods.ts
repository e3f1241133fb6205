// Clip-range methods (QUANTIZATION.md §4). Each turns an activation's statistics into the real range
// [lo, hi] that 256 int8 levels will cover. Methods that pick a magnitude threshold t clip symmetrically,
// then keep the observed side limits: lo = max(min, -t), hi = min(max, t); one-sided data stays one-sided.
import { ActivationStats, HISTOGRAM_BINS } from './histogram.js';
import { optimalUniformStep } from './gaussian.js';

export type CalibrationMethod = 'minmax' | 'percentile' | 'entropy' | 'mse' | 'hwgq';
export const CALIBRATION_METHODS: readonly CalibrationMethod[] = ['minmax', 'percentile', 'entropy', 'mse', 'hwgq'];

export interface ClipOptions {
  /** percentile method: the share of |x| kept, in percent (default 99.99) */
  percentile?: number;
}

export interface ClipRange {
  lo: number;
  hi: number;
}

export function clipRange(stats: ActivationStats, method: CalibrationMethod, options: ClipOptions = {}): ClipRange {
  if (stats.count === 0) return { lo: 0, hi: 0 };
  switch (method) {
    case 'minmax':
      return { lo: stats.min, hi: stats.max };
    case 'percentile':
      return clipAt(stats, percentileThreshold(stats, options.percentile ?? 99.99));
    case 'entropy':
      return clipAt(stats, entropyThreshold(stats));
    case 'mse':
      return clipAt(stats, mseThreshold(stats));
    case 'hwgq':
      return clipAt(stats, hwgqThreshold(stats));
  }
}

function clipAt(stats: ActivationStats, t: number): ClipRange {
  return { lo: Math.max(stats.min, -t), hi: Math.min(stats.max, t) };
}

/** Levels available on the side(s) the data occupies: one-sided data gets all 255 steps. */
function levelsFor(stats: ActivationStats): number {
  return stats.min >= 0 || stats.max <= 0 ? 255 : 127;
}

/** The |x| below which `percent` of all values lie (upper edge of the bin where the mass is reached). */
export function percentileThreshold(stats: ActivationStats, percent: number): number {
  const target = (stats.count * percent) / 100;
  let acc = 0;
  for (let i = 0; i < HISTOGRAM_BINS; i++) {
    acc += stats.bins[i];
    if (acc >= target) return Math.min(stats.range, (i + 1) * stats.binWidth);
  }
  return stats.range;
}

/**
 * TensorRT's entropy calibration: for each candidate i (from the number of quantized levels to 2048 bins),
 * P = the first i bins with the tail folded into bin i-1, Q = those first i bins (before the fold, as
 * TensorRT does: merging the folded P would make i = levels trivially exact) merged into `levels` groups and
 * spread back over P's non-zero bins; keep the i with the least KL(P || Q); the threshold is bin i's upper edge.
 */
export function entropyThreshold(stats: ActivationStats, levels = stats.min >= 0 || stats.max <= 0 ? 256 : 128): number {
  const h = stats.bins;
  let total = 0;
  for (let i = 0; i < HISTOGRAM_BINS; i++) total += h[i];
  if (total === 0) return stats.range;
  let bestI = HISTOGRAM_BINS, bestKl = Infinity;
  let tail = 0;
  for (let i = HISTOGRAM_BINS - 1; i >= levels - 1; i--) tail += h[i];
  const p = new Float64Array(HISTOGRAM_BINS);
  for (let i = levels; i <= HISTOGRAM_BINS; i++) {
    // tail = sum of h[i-1 ..] at the start of each iteration (h[i-1] included)
    for (let j = 0; j < i - 1; j++) p[j] = h[j];
    p[i - 1] = tail;
    const kl = klToQuantized(p, h, i, levels);
    if (kl < bestKl) {
      bestKl = kl;
      bestI = i;
    }
    tail -= h[i - 1];
  }
  return bestI * stats.binWidth;
}

function klToQuantized(p: Float64Array, h: Float64Array, n: number, levels: number): number {
  let pSum = 0;
  for (let j = 0; j < n; j++) pSum += p[j];
  if (pSum === 0) return Infinity;
  const per = n / levels;
  let kl = 0, qSum = 0;
  // Q's mass per level, spread evenly over the level's non-zero bins; computed level by level.
  const q = new Float64Array(n);
  for (let l = 0; l < levels; l++) {
    const start = Math.floor(l * per);
    const end = l === levels - 1 ? n : Math.floor((l + 1) * per);
    let mass = 0, nonzero = 0;
    for (let j = start; j < end; j++) {
      mass += h[j];
      if (p[j] > 0) nonzero++;
    }
    for (let j = start; j < end; j++) q[j] = p[j] > 0 && nonzero > 0 ? mass / nonzero : 0;
  }
  for (let j = 0; j < n; j++) qSum += q[j];
  for (let j = 0; j < n; j++) {
    if (p[j] === 0) continue;
    const pj = p[j] / pSum, qj = q[j] / qSum;
    kl += qj > 0 ? pj * Math.log(pj / qj) : Infinity;
  }
  return kl;
}

/**
 * The threshold that minimizes the expected squared error of uniform quantization over the histogram:
 * values inside the range cost step^2/12, values beyond it cost their distance to the clip point.
 */
export function mseThreshold(stats: ActivationStats): number {
  const h = stats.bins, w = stats.binWidth, levels = levelsFor(stats);
  let best = stats.range, bestErr = Infinity;
  for (let i = 16; i <= HISTOGRAM_BINS; i++) {
    const t = i * w;
    const step = t / levels;
    let err = 0;
    for (let j = 0; j < HISTOGRAM_BINS; j++) {
      if (h[j] === 0) continue;
      const center = (j + 0.5) * w;
      err += h[j] * (center <= t ? (step * step) / 12 : (center - t) * (center - t));
    }
    if (err < bestErr) {
      bestErr = err;
      best = t;
    }
  }
  return best;
}

/**
 * Half-wave Gaussian quantization (HWGQ): model the positive part as a half-normal with sigma^2 = E[x^2 | x>0]
 * and clip where the MSE-optimal uniform quantizer for that distribution ends. Data with a negative side is
 * modelled as a full Gaussian with its own standard deviation.
 */
export function hwgqThreshold(stats: ActivationStats): number {
  const levels = levelsFor(stats);
  if (stats.min >= 0) {
    if (stats.positiveCount === 0) return 0;
    const sigma = Math.sqrt(stats.positiveSumSquares / stats.positiveCount);
    return sigma * optimalUniformStep(levels, 'half') * levels;
  }
  const mean = stats.sum / stats.count;
  const sigma = Math.sqrt(Math.max(0, stats.sumSquares / stats.count - mean * mean));
  return sigma * optimalUniformStep(levels, 'full') * levels;
}
