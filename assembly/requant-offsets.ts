// Prepare-time search for REQUANT_F64_OFFSET's per-channel constants (requant.ts, requant4F64Offset).
//
// The f64 path rounds w = acc r + h by adding 1.5 * 2^52 (requant.ts's requantMode note). For outputs clamped
// to [-128, 127] with zero point -128 (ReLU6 layers), one f64 add per pair of lanes goes if h rides in the
// accumulator instead: an integer offset beta added to the packed bias, and an integer K subtracted in the
// rounding constant, so that
//   f(acc) = round_half_even((acc + beta) r) - K       equals       u(acc) = floor(acc r + h)
// (u: the exact TFLite output before the zero point) wherever the output is not clamped. With D = 2^(31+e),
// write beta M0 = K D + 2^30 + eps; then f(acc) = round((acc M0 + 2^30 + eps) / D) and u(acc) =
// floor((acc M0 + 2^30 + D/2) / D), which agree unless adding eps carries acc M0 + 2^30 + D/2 across a multiple
// of D. Both are monotone in acc, so they agree everywhere iff they agree at each output step: at t_y, the
// least acc with u = y, and at t_y - 1. With a_y = t_y M0 - (y D - D/2 - 2^30) in [0, M0), that holds iff
//   -min_y a_y < eps < M0 - max_y a_y,
// a window of about M0 / 256 around 2^30 for beta M0 mod D. The least beta >= 0 landing there is found by a
// Euclid-like recursion (firstMultipleIn), typically beta ~ 2^(9+e). The constants are then checked with the
// kernel's own f64 operations at every step, so the proof does not rest on exact f64 products.
const INT32_MAX: i64 = 2147483647;
const I64_MAX: i64 = 9223372036854775807;
/** |beta| bound: keeps acc + beta int32 for any accumulator within 2^30 of zero. */
const BETA_MAX: i64 = (1 << 30) - 1;
const STEPS = 255; // output levels above the zero point -128

// t_y for y = 1..steps, the steps inside int32 (a static table: the search allocates nothing).
const thresholds = memory.data(STEPS * 4, 4);

/** channelOffset's result: whether it found constants, and then beta and K. */
export let offsetFound = false;
export let offsetBeta: i32 = 0;
export let offsetK: i32 = 0;

/**
 * Least x in [0, maxX] with l <= (a x mod md) <= r, or -1 (0 <= l <= r < md, md <= 2^62). When no multiple of
 * a lies in [l, r], a x - md y in [l, r] means md y mod a in [-r mod a, -l mod a]: the same problem for
 * (md mod a, a), whose least y gives the least x = ceil((l + md y) / a).
 */
function firstMultipleIn(a: i64, md: i64, l: i64, r: i64, maxX: i64): i64 {
  if (l == 0) return 0;
  a %= md;
  if (a == 0) return -1;
  const k = (l + a - 1) / a;
  if (k * a <= r) return k <= maxX ? k : -1;
  const y = firstMultipleIn(md % a, a, (a - r % a) % a, (a - l % a) % a, I64_MAX);
  if (y < 0 || y > (I64_MAX - l - a) / md) return -1;
  const x = (l + md * y + a - 1) / a;
  return x <= maxX ? x : -1;
}

/** floor(n / d), d > 0. */
function floorDiv(n: i64, d: i64): i64 {
  const q = n / d;
  return q * d > n ? q - 1 : q;
}

/** The kernel's f(acc) + 128 (requant4F64Offset on one lane, zero point -128 taken back out). */
// @ts-ignore: decorator
@inline
function stepOf(acc: i64, beta: i32, r: f64, magic: f64): i32 {
  return <i32>reinterpret<i64>(<f64>(<i32>acc + beta) * r + magic) + 128;
}

/**
 * TFLite's output before the zero point (QUANTIZATION.md §2 with e >= 1 as one rounding, requant.ts's notes):
 * floor((acc m +- 2^30 + D/2) / D), - for acc < 0; limited to [-255, 255], past which every zero point clamps.
 */
function exactStep(acc: i64, m: i64, e: i32): i32 {
  const d = <i64>1 << (31 + e);
  const u = floorDiv(acc * m + (acc < 0 ? -(<i64>1 << 30) : (<i64>1 << 30)) + (d >> 1), d);
  return <i32>min<i64>(max<i64>(u, -255), 255);
}

/** stepOf == exactStep at acc, both limited to [-255, 255]. */
function agrees(acc: i64, beta: i32, r: f64, magic: f64, m: i64, e: i32): bool {
  return min(max(stepOf(acc, beta, r, magic), -255), 255) == exactStep(acc, m, e);
}

/**
 * Finds beta and K for a channel with multiplier m (in [1, 2^31)), right shift e (1..31) and f64 multiplier
 * r = m 2^-(31+e), such that requant4F64Offset with magic `round` - 128 - K (round: 1.5 * 2^52) gives the exact
 * output for every accumulator acc >= 0 (negative = false) or acc < 0 (negative = true) with acc + beta in
 * int32, as far as any zero point and clamp can tell (|output - zero point| <= 255). On the negative side the
 * exact form rounds acc m - 2^30 instead of + 2^30, so there beta m mod D aims at -2^30. offsetFound is false
 * when the search finds none.
 */
export function channelOffset(m: i32, e: i32, r: f64, round: f64, negative: bool): void {
  offsetFound = false;
  offsetBeta = 0;
  offsetK = 0;
  const mm = <i64>m;
  const d = <i64>1 << (31 + e);
  let count = 0;
  let amin = mm, amax: i64 = -1;
  // Output steps y = j + 1 (positive side) or y = -j (negative side):
  //   t_y = ceil((y D - D/2 +- 2^30) / m) = ceil(2^30 q / m) or -floor(2^30 q / m), q = (2j + 1) 2^e - 1,
  // so t_y is past int32 once q > 2^32; a = t_y m - (y D - D/2 +- 2^30) in [0, m). From one step to the next
  // 2^30 q grows by D = qd m + rd: t and a follow without a division per step.
  const qd = d / mm, rd = d % mm;
  const num0 = ((<i64>1 << e) - 1) << 30;
  let t: i64 = negative ? -(num0 / mm) : (num0 + mm - 1) / mm;
  let a: i64 = negative ? num0 % mm : t * mm - num0;
  for (let j = 0; j < STEPS; j++) {
    if ((<i64>(2 * j + 1) << e) - 1 > (<i64>1 << 32) || t > INT32_MAX || t < -INT32_MAX - 1) break;
    if (a < amin) amin = a;
    if (a > amax) amax = a;
    store<i32>(thresholds + (<usize>count << 2), <i32>t);
    count++;
    if (negative) {
      t -= qd; a += rd;
      if (a >= mm) { a -= mm; t--; }
    } else {
      t += qd; a -= rd;
      if (a < 0) { a += mm; t++; }
    }
  }
  // beta m mod D must lie in [l, r]: eps in (-amin, m - amax) around +-2^30.
  const centre = negative ? -(<i64>1 << 30) : (<i64>1 << 30);
  const l = centre - amin + 1, r2 = centre + (mm - amax) - 1;
  if (l > r2) return;
  let beta: i64 = 0;
  if (l > 0 || r2 < 0) {
    const shift = r2 < 0 ? d : 0; // [l, r2] as residues in [0, D)
    // the least beta >= 0 (a search on -m too would halve |beta| at most, for twice the pack time)
    beta = firstMultipleIn(mm, d, l + shift, r2 + shift, BETA_MAX);
    if (beta < 0) return;
  }
  const k = floorDiv(beta * mm - l, d);
  const b = <i32>beta;
  const magic = round - 128.0 - <f64>k;
  // The check, with the kernel's operations: both sides of each output step, and the ends of the side's
  // accumulators (acc + beta in int32). Both forms are monotone in acc, so these decide every value between.
  const lo: i64 = negative ? max<i64>(-INT32_MAX - 1, -INT32_MAX - 1 - beta) : 0;
  const hi: i64 = negative ? -1 : min<i64>(INT32_MAX, INT32_MAX - beta);
  if (!agrees(lo, b, r, magic, mm, e) || !agrees(hi, b, r, magic, mm, e)) return;
  for (let i = 0; i < count; i++) {
    // exact outputs there: y at t_y, y - 1 just below (steps of r < 1/2 move the output by at most 1)
    const t = <i64>load<i32>(thresholds + (<usize>i << 2));
    const y = negative ? -i : i + 1;
    if (t - 1 >= lo && t <= hi && (stepOf(t - 1, b, r, magic) != y - 1 || stepOf(t, b, r, magic) != y)) return;
  }
  offsetFound = true;
  offsetBeta = b;
  offsetK = <i32>k;
}
