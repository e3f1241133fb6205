// Shape arithmetic shared by the verifier, the writer's checks and the runtime's planner.

/** Product of the dims, or Infinity once it passes `limit` (so no overflow can go unnoticed). */
export function elementCount(shape: readonly number[], limit = Number.MAX_SAFE_INTEGER): number {
  let n = 1;
  for (const d of shape) {
    n *= d;
    if (n > limit) return Infinity;
  }
  return n;
}

/** Output size of a sliding window (conv or pool) along one axis; < 1 means the window does not fit. */
export function windowOutputSize(
  input: number, filter: number, stride: number, dilation: number, padBefore: number, padAfter: number,
): number {
  const extent = (filter - 1) * dilation + 1;
  return Math.floor((input + padBefore + padAfter - extent) / stride) + 1;
}

export function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** An axis in [-rank, rank) as a non-negative index, or -1 when out of range or not an integer. */
export function normalizeAxis(axis: number, rank: number): number {
  if (!Number.isInteger(axis) || axis < -rank || axis >= rank) return -1;
  return axis < 0 ? axis + rank : axis;
}
