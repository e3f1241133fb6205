// The arena planner (TFLite Micro's greedy-by-size idea): every activation buffer has a size and a lifetime
// [first, last] in op steps; buffers are placed largest first, each at the lowest 64-byte-aligned offset
// where it overlaps in memory no already placed buffer whose lifetime overlaps its own.

export const ARENA_ALIGN = 64;

export interface BufferRequest {
  /** bytes; rounded up to ARENA_ALIGN by the planner */
  size: number;
  /** first op step at which the buffer holds live data (inclusive) */
  first: number;
  /** last op step at which the buffer is read (inclusive) */
  last: number;
}

export interface ArenaPlan {
  /** byte offset of each request, in request order */
  offsets: number[];
  /** arena bytes the plan needs: max over buffers of offset + aligned size */
  peak: number;
  /** no plan can do better: max over steps of the aligned sizes of the buffers live at that step */
  lowerBound: number;
}

export function alignUp(n: number, a = ARENA_ALIGN): number {
  return Math.ceil(n / a) * a;
}

export function planArena(requests: readonly BufferRequest[]): ArenaPlan {
  const sizes = requests.map((r) => alignUp(r.size));
  // Largest first; ties by earliest first use, then request order, so plans are deterministic.
  const order = requests.map((_, i) => i).sort((a, b) => sizes[b] - sizes[a] || requests[a].first - requests[b].first || a - b);
  // Buffers already placed, bucketed by the steps they are live at (steps renumbered densely, which keeps
  // every overlap): a buffer's conflicts are the buckets of its own steps, not every placed buffer.
  const steps = [...new Set(requests.flatMap((r) => [r.first, r.last]))].sort((a, b) => a - b);
  const rank = new Map(steps.map((s, i) => [s, i]));
  const live: number[][] = steps.map(() => []);
  const seen = new Int32Array(requests.length).fill(-1);
  const offsets = new Array<number>(requests.length).fill(0);
  let peak = 0;
  for (const i of order) {
    const lo = rank.get(requests[i].first)!, hi = rank.get(requests[i].last)!;
    const conflicts: number[] = [];
    for (let s = lo; s <= hi; s++) {
      for (const j of live[s]) {
        if (seen[j] !== i) {
          seen[j] = i;
          conflicts.push(j);
        }
      }
    }
    conflicts.sort((a, b) => offsets[a] - offsets[b]);
    let offset = 0;
    for (const j of conflicts) {
      if (offset + sizes[i] <= offsets[j]) break; // the gap before j fits
      offset = Math.max(offset, offsets[j] + sizes[j]);
    }
    offsets[i] = offset;
    for (let s = lo; s <= hi; s++) live[s].push(i);
    peak = Math.max(peak, offset + sizes[i]);
  }
  return { offsets, peak, lowerBound: liveLowerBound(requests, sizes) };
}

function liveLowerBound(requests: readonly BufferRequest[], sizes: number[]): number {
  // Sweep over step boundaries: +size at first, -size after last.
  const events: Array<[number, number]> = [];
  requests.forEach((r, i) => {
    events.push([r.first, sizes[i]], [r.last + 1, -sizes[i]]);
  });
  events.sort((a, b) => a[0] - b[0] || a[1] - b[1]); // frees before allocations at the same step
  let live = 0, best = 0;
  for (const [, d] of events) {
    live += d;
    best = Math.max(best, live);
  }
  return best;
}
