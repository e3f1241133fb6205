// Interleaved timing for the model benchmark: every contender is warmed up, then each round runs every
// contender once (round-robin), so a burst of load from other processes hits all of them alike.
export interface Timed {
  /** one inference (or `repeat` of them, see below); awaited when it returns a promise */
  run(): unknown;
  /** calls of run() per sample (for sub-millisecond layers); the sample is divided by it. Default 1. */
  repeat?: number;
}

export interface Stats {
  median_ms: number;
  p10_ms: number;
  p90_ms: number;
  runs: number;
}

/** Linear-interpolated quantile of sorted values. */
export function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return NaN;
  const at = (sorted.length - 1) * q;
  const lo = Math.floor(at), hi = Math.ceil(at);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (at - lo);
}

export function summarize(samples: number[]): Stats {
  const s = [...samples].sort((a, b) => a - b);
  return { median_ms: quantile(s, 0.5), p10_ms: quantile(s, 0.1), p90_ms: quantile(s, 0.9), runs: s.length };
}

/** One sample: wall time and the process's CPU time (all its threads) per run, in ms. */
async function sample(t: Timed): Promise<{ wall: number; cpu: number }> {
  const n = t.repeat ?? 1;
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  for (let i = 0; i < n; i++) await t.run();
  const wall = (performance.now() - t0) / n;
  const c = process.cpuUsage(c0);
  return { wall, cpu: (c.user + c.system) / 1000 / n };
}

/** Samples per contender: wall times and, taken over the same runs, CPU times. */
export interface Samples {
  wall: number[][];
  /** CPU time of the whole process per run: about equal to wall for one busy thread, about twice for two. */
  cpu: number[][];
}

/**
 * Warms every contender up (at least `warmupRuns` runs and `warmupMs` of running: onnxruntime-web's first runs
 * take hundreds of ms), then takes `rounds` interleaved samples of each. Returns the samples per contender.
 */
export async function measureInterleaved(contenders: Timed[], opts: { rounds: number; warmupRuns: number; warmupMs: number; sampleMs?: number; onRound?: (r: number) => void }): Promise<Samples> {
  for (const c of contenders) {
    const t0 = performance.now();
    let runs = 0;
    for (; runs < opts.warmupRuns || performance.now() - t0 < opts.warmupMs; runs++) await sample(c);
    // sub-millisecond work: repeat it within a sample so that a sample lasts about sampleMs
    if (opts.sampleMs && c.repeat === undefined) c.repeat = Math.max(1, Math.round(opts.sampleMs / ((performance.now() - t0) / runs)));
  }
  const samples: Samples = { wall: contenders.map(() => []), cpu: contenders.map(() => []) };
  for (let r = 0; r < opts.rounds; r++) {
    for (let k = 0; k < contenders.length; k++) {
      const s = await sample(contenders[k]);
      samples.wall[k].push(s.wall);
      samples.cpu[k].push(s.cpu);
    }
    opts.onRound?.(r);
  }
  return samples;
}
