// `npm run bench -- kernels [--quick] [--json FILE] [--filter TEXT]`: times every KernelCase (bench/kernels/*.ts)
// with the `benchmark` package, in one process, and prints a table plus int8/f32 and SIMD/scalar ratios.
// The variants of one (kernel, shape) are measured in alternating rounds, so a burst of load from other
// processes hits them alike; a case's time is the median over rounds of each round's median sample, and a ratio
// between two variants is the median over rounds of that round's ratio (paired: drift between rounds cancels).
import os from 'node:os';
import { writeFileSync } from 'node:fs';
import Benchmark from 'benchmark';
import { instantiateKernels } from '../../src/runtime/wasm.js';
import { WasmHeap } from '../../src/runtime/heap.js';
import type { KernelExports } from '../../src/runtime/kernel-abi.js';
import type { KernelCase, Variant } from './case.js';
import { REQUANT_REFERENCE } from './conv.js';
import { ALL_CASES, baseShape, groupCases } from './all.js';

export interface Row { kernel: string; shape: string; variant: Variant; gops: number; ms: number }

function parse(args: string[]): { quick: boolean; json?: string; filter?: string } {
  const out: { quick: boolean; json?: string; filter?: string } = { quick: false };
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--quick') out.quick = true;
    else if (args[i] === '--json') out.json = args[++i];
    else if (args[i] === '--filter') out.filter = args[++i];
    else throw new Error(`bench kernels: unknown option ${args[i]} (use --quick, --json FILE, --filter TEXT)`);
  }
  if (args.includes('--json') && !out.json) throw new Error('bench kernels: --json needs a file name');
  return out;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

/** Median seconds per call. */
function time(fn: () => void, quick: boolean): number {
  const b = new Benchmark('case', fn, { maxTime: quick ? 0.05 : 0.1, minSamples: 5, minTime: quick ? 0.01 : 0.03 });
  b.run({ async: false });
  if (b.error) throw b.error;
  return median(b.stats.sample);
}

export async function main(args: string[]): Promise<void> {
  const opts = parse(args);
  const all = ALL_CASES
    .filter((c) => (!opts.quick || c.quick) && (!opts.filter || `${c.kernel} ${c.shape} ${c.variant}`.includes(opts.filter)));
  const kernels = await instantiateKernels();
  const k = kernels.exports as KernelExports;
  const heap = new WasmHeap(kernels);

  console.log(`wasmq kernel benchmark — ${new Date().toISOString()}`);
  console.log(`${os.cpus()[0]?.model ?? 'unknown cpu'} (${os.cpus().length} cores), node ${process.version} (V8 ${process.versions.v8}), single thread${opts.quick ? ', --quick' : ''}`);
  const rows: Row[] = [];
  const perRound = new Map<Row, number[]>(); // each row's per-round times, for paired ratios
  const mark = heap.mark();
  console.log(`\n${'kernel'.padEnd(10)} ${'shape'.padEnd(32)} ${'variant'.padEnd(12)} ${'ms'.padStart(9)} ${'GOP/s'.padStart(8)}`);
  const rounds = opts.quick ? 3 : 13;
  for (const group of groupCases(all)) {
    const prepared = group.map((c) => {
      const fn = c.setup(k, heap);
      for (let i = 0; i < 3; i++) fn(); // warm-up: tier-up to the optimizing compiler
      return { c, fn, times: [] as number[] };
    });
    for (let r = 0; r < rounds; r++) for (const p of prepared) p.times.push(time(p.fn, opts.quick));
    heap.release(mark);
    for (const { c, times } of prepared) {
      const s = median(times);
      const row: Row = { kernel: c.kernel, shape: c.shape, variant: c.variant, gops: (2 * c.macs) / s / 1e9, ms: s * 1e3 };
      rows.push(row);
      perRound.set(row, times);
      console.log(`${row.kernel.padEnd(10)} ${row.shape.padEnd(32)} ${row.variant.padEnd(12)} ${row.ms.toFixed(3).padStart(9)} ${row.gops.toFixed(2).padStart(8)}`);
    }
  }
  console.log('\nratios (time of the other variant / time of int8-simd):');
  const find = (kernel: string, shape: string, variant: Variant) => rows.find((r) => r.kernel === kernel && r.shape === shape && r.variant === variant);
  /** Median over rounds of t(other) / t(row) for rows of one group (measured in the same rounds), else of medians. */
  const ratio = (other: Row, row: Row): number => {
    const a = perRound.get(other)!, b = perRound.get(row)!;
    const paired = other.kernel === row.kernel && baseShape(other.shape) === baseShape(row.shape);
    return paired ? median(a.map((t, i) => t / b[i])) : other.ms / row.ms;
  };
  for (const r of rows.filter((x) => x.variant === 'int8-simd')) {
    const f32 = find(r.kernel, r.shape, 'f32-simd') ?? find(r.kernel, baseShape(r.shape), 'f32-simd'), scalar = find(r.kernel, r.shape, 'int8-scalar');
    const bare = find(r.kernel, r.shape, 'int8-no-requant');
    const parts = [];
    if (f32) parts.push(`int8/f32 ${ratio(f32, r).toFixed(2)}x`);
    if (scalar) parts.push(`simd/scalar ${ratio(scalar, r).toFixed(1)}x`);
    // What the fused requantization costs inside the layer: the same kernel with it skipped, side by side.
    if (bare) parts.push(`requant share ${(100 * (1 - ratio(bare, r))).toFixed(0)}%`);
    if (parts.length) console.log(`  ${r.kernel} ${r.shape}: ${parts.join(', ')}`);
  }
  const requant = rows.find((r) => r.kernel === 'requant' && r.variant === 'int8-simd');
  const layer = find(REQUANT_REFERENCE.kernel, REQUANT_REFERENCE.shape, 'int8-simd');
  if (requant && layer) {
    console.log(`  requant ${requant.shape} alone: ${requant.ms.toFixed(3)} ms = ${(100 * requant.ms / layer.ms).toFixed(1)}% of the fused ${layer.kernel} ${layer.shape} layer (${layer.ms.toFixed(3)} ms)`);
  }
  if (opts.json) {
    // The rows keep the three variants the file's readers know; the bench-only int8-no-requant timings become a
    // requantShare field (0..1) on the fused int8-simd row they belong to.
    const out = rows.filter((r) => r.variant !== 'int8-no-requant').map((r) => {
      const bare = r.variant === 'int8-simd' ? find(r.kernel, r.shape, 'int8-no-requant') : undefined;
      return bare ? { ...r, requantShare: 1 - ratio(bare, r) } : r;
    });
    writeFileSync(opts.json, JSON.stringify(out, null, 2) + '\n');
    console.log(`\nwrote ${out.length} rows to ${opts.json}`);
  }
}
