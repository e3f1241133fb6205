// The kernel benchmark in a browser page (web/kernels.html): the same cases as `npm run bench -- kernels`,
// timed with performance.now() (the `benchmark` package is Node-oriented), variants of one shape alternating,
// median of rounds. Comparing kernels across browsers is one reason people run this page.
import { instantiateKernels } from '../../src/runtime/wasm.js';
import { WasmHeap } from '../../src/runtime/heap.js';
import type { KernelExports } from '../../src/runtime/kernel-abi.js';
import { ALL_CASES, groupCases } from './all.js';

export interface BrowserRow { kernel: string; shape: string; variant: string; ms: number; gops: number }

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

/** Seconds per call: enough calls that one sample lasts at least `minMs`. */
function sample(fn: () => void, minMs: number): number {
  let n = 1;
  for (;;) {
    const t0 = performance.now();
    for (let i = 0; i < n; i++) fn();
    const ms = performance.now() - t0;
    if (ms >= minMs) return ms / n / 1000;
    n *= ms < minMs / 8 ? 8 : 2;
  }
}

export async function runKernelBenchmark(options: { quick?: boolean; onRow?: (row: BrowserRow, done: number, total: number) => void } = {}): Promise<BrowserRow[]> {
  const kernels = await instantiateKernels(new URL('./wasmq.wasm', import.meta.url));
  const k = kernels.exports as KernelExports;
  const heap = new WasmHeap(kernels);
  // int8-no-requant rows only feed the Node runner's requant share; the page's table has no column for them.
  const groups = groupCases(ALL_CASES.filter((c) => (!options.quick || c.quick) && c.variant !== 'int8-no-requant'));
  const total = groups.reduce((n, g) => n + g.length, 0);
  const rows: BrowserRow[] = [];
  const rounds = options.quick ? 3 : 7;
  const mark = heap.mark();
  for (const group of groups) {
    const prepared = group.map((c) => ({ c, fn: c.setup(k, heap), times: [] as number[] }));
    for (const p of prepared) for (let i = 0; i < 3; i++) p.fn(); // warm-up: tier-up to the optimizing compiler
    for (let r = 0; r < rounds; r++) for (const p of prepared) p.times.push(sample(p.fn, options.quick ? 5 : 20));
    heap.release(mark);
    for (const { c, times } of prepared) {
      const s = median(times);
      const row = { kernel: c.kernel, shape: c.shape, variant: c.variant, ms: s * 1e3, gops: (2 * c.macs) / s / 1e9 };
      rows.push(row);
      options.onRow?.(row, rows.length, total);
      await new Promise((r) => setTimeout(r, 0)); // let the page repaint
    }
  }
  return rows;
}
