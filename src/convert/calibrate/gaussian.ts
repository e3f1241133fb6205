// The MSE-optimal step of a uniform quantizer for a unit Gaussian, as HWGQ defines it: for a half-normal
// (post-ReLU data) every x > 0 goes to the nearest of the levels {step, 2 step, ..., levels * step} (x <= 0 is
// exactly 0), or for a full normal to the nearest of {-levels..levels} * step. Found by golden-section search
// on the exact expected error. HWGQ's published 2-bit quantizer (levels 0.538, 1.076, 1.614) is the
// `levels = 3` case.

const SQRT2 = Math.SQRT2;
const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);

function pdf(x: number): number {
  return INV_SQRT_2PI * Math.exp(-0.5 * x * x);
}

/** Complementary error function (Numerical Recipes' erfc approximation, relative error < 1.2e-7). */
function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r = t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 +
    t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
  return x >= 0 ? r : 2 - r;
}

/** Upper tail probability of a standard normal. */
function tail(x: number): number {
  return 0.5 * erfc(x / SQRT2);
}

/** E[(x - c)^2 ; a < x < b] for a standard normal x. */
function partialSecondMoment(a: number, b: number, c: number): number {
  // integral of (x-c)^2 pdf = [P]*(1 + c^2) + (a - 2c) pdf(a) - (b - 2c) pdf(b), with P = mass in (a, b)
  const mass = tail(a) - tail(b);
  const pa = Number.isFinite(a) ? pdf(a) : 0, pb = Number.isFinite(b) ? pdf(b) : 0;
  const ta = Number.isFinite(a) ? (a - 2 * c) * pa : 0, tb = Number.isFinite(b) ? (b - 2 * c) * pb : 0;
  return mass * (1 + c * c) + ta - tb;
}

/** Expected squared error of rounding x > 0 to {step, ..., levels*step} (values beyond clip to the top). */
export function halfNormalQuantError(step: number, levels: number): number {
  let err = 0;
  for (let k = 1; k <= levels; k++) {
    const a = k === 1 ? 0 : (k - 0.5) * step;
    const b = k === levels ? Infinity : (k + 0.5) * step;
    err += partialSecondMoment(a, b, k * step);
  }
  return 2 * err; // half-normal density is twice the normal's on x >= 0
}

/** Expected squared error of rounding a standard normal to the symmetric grid {-levels..levels} * step. */
export function normalQuantError(step: number, levels: number): number {
  // symmetric: the positive side's error (zero bin split in half) doubled
  let err = partialSecondMoment(0, 0.5 * step, 0);
  for (let k = 1; k <= levels; k++) {
    const a = (k - 0.5) * step;
    const b = k === levels ? Infinity : (k + 0.5) * step;
    err += partialSecondMoment(a, b, k * step);
  }
  return 2 * err;
}

const cache = new Map<string, number>();

export function optimalUniformStep(levels: number, shape: 'half' | 'full'): number {
  const key = `${shape}:${levels}`;
  const hit = cache.get(key);
  if (hit !== undefined) return hit;
  const f = (s: number) => (shape === 'half' ? halfNormalQuantError(s, levels) : normalQuantError(s, levels));
  // the optimal clip point levels*step lies between 1 and 8 sigma for every useful bit width
  let a = 1 / levels, b = 8 / levels;
  const g = (Math.sqrt(5) - 1) / 2;
  let c = b - g * (b - a), d = a + g * (b - a);
  let fc = f(c), fd = f(d);
  for (let i = 0; i < 100; i++) {
    if (fc < fd) { b = d; d = c; fd = fc; c = b - g * (b - a); fc = f(c); }
    else { a = c; c = d; fc = fd; d = a + g * (b - a); fd = f(d); }
  }
  const step = (a + b) / 2;
  cache.set(key, step);
  return step;
}
