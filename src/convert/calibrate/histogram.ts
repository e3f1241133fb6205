import { WasmqError } from '../../runtime/errors.js';

// One-pass statistics of an activation over all calibration samples: exact min/max, moments of the positive
// part (for the half-wave Gaussian fit) and a histogram of |x|. The histogram's range doubles when a sample
// exceeds it, merging neighbouring bins, so nothing has to be known in advance and one pass suffices.

export const HISTOGRAM_BINS = 2048;

export class ActivationStats {
  min = Infinity;
  max = -Infinity;
  count = 0;
  /** count and sum of squares of x > 0 */
  positiveCount = 0;
  positiveSumSquares = 0;
  sumSquares = 0;
  sum = 0;
  /** histogram of |x| over [0, range) in HISTOGRAM_BINS equal bins; the last bin also holds |x| == range */
  readonly bins = new Float64Array(HISTOGRAM_BINS);
  range = 0;

  observe(values: ArrayLike<number>): void {
    let lo = this.min, hi = this.max, peak = 0;
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      if (v < lo) lo = v;
      if (v > hi) hi = v;
      const a = Math.abs(v);
      if (a > peak) peak = a;
      else if (!(a <= peak)) peak = NaN; // NaN stays NaN
    }
    if (values.length === 0) return;
    if (!Number.isFinite(lo) || !Number.isFinite(hi) || !Number.isFinite(peak)) {
      throw new WasmqError('CALIBRATION_NONFINITE', 'an activation took a non-finite value (NaN or Infinity) on a calibration sample');
    }
    this.min = lo;
    this.max = hi;
    this.grow(peak);
    const scale = this.range > 0 ? HISTOGRAM_BINS / this.range : 0;
    let sum = 0, sq = 0, psq = 0, pc = 0;
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      sum += v;
      sq += v * v;
      if (v > 0) { pc++; psq += v * v; }
      this.bins[Math.min(HISTOGRAM_BINS - 1, Math.floor(Math.abs(v) * scale))]++;
    }
    this.count += values.length;
    this.sum += sum;
    this.sumSquares += sq;
    this.positiveCount += pc;
    this.positiveSumSquares += psq;
  }

  /** Bin width of the |x| histogram. */
  get binWidth(): number {
    return this.range / HISTOGRAM_BINS;
  }

  /** Doubles the range (merging pairs of bins) until it covers `peak`. */
  private grow(peak: number): void {
    if (peak <= this.range) return;
    if (this.range === 0) {
      this.range = peak;
      return;
    }
    let factor = 1;
    while (this.range * factor < peak) factor *= 2;
    if (factor >= HISTOGRAM_BINS) {
      const total = this.bins.reduce((a, b) => a + b, 0);
      this.bins.fill(0);
      this.bins[0] = total;
    } else {
      for (let i = 0; i < HISTOGRAM_BINS; i++) {
        const src = i * factor;
        let s = 0;
        for (let j = 0; j < factor && src + j < HISTOGRAM_BINS; j++) s += this.bins[src + j];
        this.bins[i] = s;
      }
    }
    this.range *= factor;
  }
}
