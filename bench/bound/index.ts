// `npm run bench -- bound`: what WebAssembly SIMD128 allows on this machine, to read the model benchmark
// against. Times two probe loops (bench/bound/probe.as.ts) that do nothing but multiply-accumulate with
// operands in registers: i32x4.dot_i16x8_s (8 int8 MACs per instruction; the widest integer multiply-add in
// SIMD128) and f32x4 mul + add (4 float MACs per 2 instructions). From them, the floor of MobileNetV2 1.0 224's
// multiply-adds alone, before any load, widening, requantization or depthwise shuffle is paid.
import { readFileSync } from 'node:fs';
import v8 from 'node:v8';
import asc from 'assemblyscript/asc';
import { mobilenetV2, mobilenetV2Macs } from '../models/mobilenetv2.js';
import { summarize } from '../models/measure.js';
import { machine, describeMachine } from '../models/machine.js';

interface Probe { name: string; macsPerIteration: number; fn: (p: number, n: number) => number }

/** Values the int8 network requantizes per inference: every conv, depthwise and FC output. */
function mobilenetV2Outputs(): number {
  let h = 224, n = 0;
  for (const l of mobilenetV2()) {
    if (l.kind === 'conv') { h = Math.ceil(h / l.stride); n += h * h * l.cout; }
    else if (l.kind === 'dwconv') { h = Math.ceil(h / l.stride); n += h * h * l.c; }
    else if (l.kind === 'fc') n += l.cout;
  }
  return n;
}

async function compileProbes(): Promise<Record<string, (p: number, n: number) => number>> {
  // Compile the probes with the optimizing compiler straight away: on a busy machine the background tier-up
  // from V8's baseline compiler can arrive after the warm-up, and the probe would time baseline code.
  v8.setFlagsFromString('--no-liftoff');
  const source = readFileSync(new URL('./probe.as.ts', import.meta.url), 'utf8');
  const out = await asc.compileString({ 'probe.ts': source }, { optimizeLevel: 3, runtime: 'stub', enable: ['simd'], importMemory: true, noAssert: true });
  if (out.error || !out.binary) throw new Error(`bench bound: the probe does not compile:\n${out.stderr.toString()}`);
  const memory = new WebAssembly.Memory({ initial: 1 });
  const instance = new WebAssembly.Instance(new WebAssembly.Module(out.binary), { env: { memory, abort() { throw new Error('probe aborted'); } } });
  return instance.exports as unknown as Record<string, (p: number, n: number) => number>;
}

/**
 * Median GMAC/s of `rounds` timed calls. V8 first runs wasm in its baseline tier and swaps in optimized code
 * only between calls (no on-stack replacement), so the warm-up makes many short calls for a while first.
 */
function gmacs(p: Probe, iterations: number, rounds: number): { median: number; best: number } {
  const t0 = performance.now();
  for (let i = 0; i < 50 || performance.now() - t0 < 500; i++) p.fn(0, 20_000);
  const ms: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const t0 = performance.now();
    p.fn(0, iterations);
    ms.push(performance.now() - t0);
  }
  const s = summarize(ms);
  const rate = (t: number) => (p.macsPerIteration * iterations) / t / 1e6;
  return { median: rate(s.median_ms), best: rate(Math.min(...ms)) };
}

export async function main(args: string[]): Promise<void> {
  const quick = args.includes('--quick');
  const m = machine(`npm run bench -- bound ${args.join(' ')}`.trim());
  console.log(`wasmq SIMD128 bound: multiply-accumulate throughput with operands in registers, 1 thread`);
  console.log(describeMachine(m));
  const x = await compileProbes();
  const probes: Probe[] = [
    { name: 'int8 (i32x4.dot_i16x8_s + add)', macsPerIteration: 64, fn: x.dotI16 },
    { name: 'f32 (f32x4.mul + add)', macsPerIteration: 32, fn: x.mulAddF32 },
  ];
  const macs = mobilenetV2Macs();
  console.log(`\n  probe                              GOP/s median   best   MobileNetV2 (${(macs / 1e6).toFixed(0)} MMAC) floor`);
  const results = probes.map((p) => ({ p, r: gmacs(p, quick ? 500_000 : 2_000_000, quick ? 7 : 21) }));
  for (const { p, r } of results) {
    const floorMs = macs / (r.best * 1e6);
    console.log(`  ${p.name.padEnd(34)} ${(2 * r.median).toFixed(1).padStart(12)} ${(2 * r.best).toFixed(1).padStart(6)}   ${floorMs.toFixed(2)} ms`);
  }
  const [int8, f32] = results;
  console.log(`\n  int8 / f32 ceiling: ${(int8.r.best / f32.r.best).toFixed(2)}x. A real layer also loads and widens operands, adds`);
  console.log('  the bias, requantizes and stores every output; depthwise taps cannot share a dot product across channels.');

  // The requantization probe counts outputs, not MACs: 16 per iteration.
  const rq = gmacs({ name: 'requant', macsPerIteration: 16, fn: x.requantF64 }, quick ? 500_000 : 2_000_000, quick ? 7 : 21);
  const outputs = mobilenetV2Outputs();
  const requantMs = outputs / (rq.best * 1e6);
  const macMs = macs / (int8.r.best * 1e6);
  console.log(`\n  exact requantization (f64 single rounding + zero point, clamp, narrow; from cache): ${(rq.median).toFixed(2)} outputs/ns median, ${rq.best.toFixed(2)} best`);
  console.log(`  MobileNetV2 requantizes ${(outputs / 1e6).toFixed(2)} M outputs: >= ${requantMs.toFixed(2)} ms alone; with its MACs at the dot ceiling, ${(macMs + requantMs).toFixed(2)} ms if nothing overlaps`);
  // Both kinds of work in one loop, in the network's proportion (44 MACs per output), so they may overlap.
  const mix = gmacs({ name: 'mixed', macsPerIteration: 704, fn: x.mixed }, quick ? 50_000 : 200_000, quick ? 7 : 21);
  const mixMs = macs / (mix.best * 1e6);
  console.log(`  dot + requantization interleaved (704 MACs per 16 outputs): ${(2 * mix.median).toFixed(1)} GOP/s median, ${(2 * mix.best).toFixed(1)} best`);
  console.log(`  => MobileNetV2 int8 floor in SIMD128 with TFLite-exact requantization: ${mixMs.toFixed(2)} ms (loads, widening, depthwise`);
  console.log('     shuffles, pooling, adds and memory traffic all come on top)');
}
