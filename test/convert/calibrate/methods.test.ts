import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ActivationStats, HISTOGRAM_BINS } from '../../../src/convert/calibrate/histogram.js';
import { clipRange, CALIBRATION_METHODS } from '../../../src/convert/calibrate/methods.js';
import { optimalUniformStep, halfNormalQuantError } from '../../../src/convert/calibrate/gaussian.js';
import { prng } from '../../ref/prng.js';

function observeInBatches(stats: ActivationStats, values: Float32Array, batch = 4096) {
  for (let i = 0; i < values.length; i += batch) stats.observe(values.subarray(i, i + batch));
}

function sample(seed: number, n: number, f: (r: ReturnType<typeof prng>) => number): Float32Array {
  const r = prng(seed);
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) a[i] = f(r);
  return a;
}

test('the histogram keeps every value counted when its range doubles mid-way', () => {
  const s = new ActivationStats();
  s.observe([0.1, -0.2, 0.3]);
  s.observe([5, -7.5]);
  s.observe([100]);
  assert.is(s.count, 6);
  assert.is(s.bins.reduce((a, b) => a + b, 0), 6);
  assert.ok(s.range >= 100);
  assert.is(s.min, -7.5);
  assert.is(s.max, 100);
  // 7.5 must sit in the bin that covers it
  const bin = Math.floor(7.5 / s.binWidth);
  assert.ok(s.bins[bin] >= 1 || s.bins[bin - 1] >= 1);
});

test('non-finite activations are a typed calibration error', () => {
  const s = new ActivationStats();
  assert.throws(() => s.observe([1, NaN]), (e: any) => e.code === 'CALIBRATION_NONFINITE');
});

test('min-max returns exactly the observed extremes', () => {
  const s = new ActivationStats();
  observeInBatches(s, sample(1, 10000, (r) => r.normal() * 3 + 1));
  const { lo, hi } = clipRange(s, 'minmax');
  assert.is(lo, s.min);
  assert.is(hi, s.max);
});

test('on uniform data every method keeps (nearly) the whole range', () => {
  const s = new ActivationStats();
  observeInBatches(s, sample(2, 200000, (r) => r.float() * 2 - 1));
  for (const m of CALIBRATION_METHODS) {
    const { lo, hi } = clipRange(s, m);
    assert.ok(hi >= 0.95 * s.max && lo <= 0.95 * s.min, `${m}: [${lo}, ${hi}] of [${s.min}, ${s.max}]`);
  }
});

test('on Gaussian data MSE clips at the known 8-bit optimum of about 3.92 sigma, below the maximum', () => {
  // ACIQ (Banner et al.) gives 3.92 sigma as the MSE-optimal 8-bit clip of a Gaussian; HWGQ's Gaussian fit
  // computes the same optimum analytically.
  const s = new ActivationStats();
  observeInBatches(s, sample(3, 400000, (r) => r.normal() * 2));
  for (const m of ['mse', 'hwgq'] as const) {
    const { lo, hi } = clipRange(s, m);
    assert.ok(Math.abs(hi / 2 - 3.92) < 0.2 && Math.abs(-lo / 2 - 3.92) < 0.2, `${m}: [${lo}, ${hi}]`);
    assert.ok(hi < 0.95 * s.max, `${m} clips the tail: ${hi} of ${s.max}`);
  }
});

test('Gaussian data with rare far outliers: entropy and percentile clip far below the maximum', () => {
  const s = new ActivationStats();
  observeInBatches(s, sample(8, 200000, (r) => (r.float() < 0.0005 ? (r.float() < 0.5 ? -40 : 40) : r.normal())));
  for (const m of ['entropy', 'percentile'] as const) {
    // 0.05% outliers: the 99.9th percentile of |x| lies below them
    const { lo, hi } = clipRange(s, m, { percentile: 99.9 });
    assert.ok(hi < 0.25 * s.max && hi > 2 && lo > 0.25 * s.min && lo < -2, `${m}: [${lo}, ${hi}] of [${s.min}, ${s.max}]`);
  }
  const mm = clipRange(s, 'minmax');
  assert.is(mm.hi, s.max);
});

test('the percentile clip sits at the requested share of |x|', () => {
  const s = new ActivationStats();
  observeInBatches(s, sample(4, 100000, (r) => r.float() * 10)); // uniform on [0, 10)
  const { lo, hi } = clipRange(s, 'percentile', { percentile: 90 });
  assert.is(lo, s.min);
  assert.ok(Math.abs(hi - 9) < 0.05, `hi ${hi}`);
});

test('HWGQ reproduces the paper\'s 2-bit half-wave Gaussian step of 0.538 sigma', () => {
  const step = optimalUniformStep(3, 'half');
  assert.ok(Math.abs(step - 0.538) < 0.003, `step ${step}`);
  // and it is a minimum of the error
  assert.ok(halfNormalQuantError(step, 3) < halfNormalQuantError(step * 1.05, 3));
  assert.ok(halfNormalQuantError(step, 3) < halfNormalQuantError(step * 0.95, 3));
});

test('HWGQ on post-ReLU half-normal data clips at sigma times the optimal 8-bit clip', () => {
  const s = new ActivationStats();
  const sigma = 2.5;
  observeInBatches(s, sample(5, 200000, (r) => Math.max(0, r.normal() * sigma)));
  const { lo, hi } = clipRange(s, 'hwgq');
  assert.is(lo, 0);
  const want = Math.min(s.max, sigma * optimalUniformStep(255, 'half') * 255);
  assert.ok(Math.abs(hi - want) / want < 0.02, `hi ${hi}, want ${want}`);
  assert.ok(hi < s.max, 'a Gaussian tail is clipped');
});

test('one-sided data stays one-sided under every method', () => {
  const s = new ActivationStats();
  observeInBatches(s, sample(6, 50000, (r) => Math.max(0, r.normal())));
  for (const m of CALIBRATION_METHODS) {
    const { lo, hi } = clipRange(s, m);
    assert.is(lo, 0, m);
    assert.ok(hi > 0 && hi <= s.max, m);
  }
  assert.is(HISTOGRAM_BINS, 2048);
});

test.run();
