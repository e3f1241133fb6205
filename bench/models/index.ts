// `npm run bench -- models [--quick] [--runs N] [--json FILE] [--svg FILE] [--md FILE]`: wasmq against the
// runtimes users would pick instead, on MobileNetV2 1.0 224, batch 1, one thread each, in one process with
// interleaved runs. Prints the rows {runtime, precision, model, threads, median_ms, p10_ms, p90_ms, runs}, the
// ratios wasmq int8 / each peer, load times, bytes and wasmq's arena; writes JSON, an SVG chart and the README
// table (a full run writes bench/results/models.{json,svg,md} unless told otherwise).
//
// Models: the real int8 coral MobileNetV2 (../shared/models/coral/..., LiteRT.js runs it as is, wasmq after
// import) and the synthetic MobileNetV2 of mobilenetv2.ts (seeded weights; wasmq quantizes it with random
// calibration: latency does not depend on the values), run in float by every runtime that can and in int8 by
// onnxruntime through `wasmq export-onnx` (QDQ), so that both execute the same quantization.
import { writeFileSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { convert } from '../../src/convert/convert.js';
import { writeModel } from '../../src/format/write.js';
import { exportOnnx } from '../../src/convert/onnx/export.js';
import { mobilenetV2Onnx } from './mobilenetv2-onnx.js';
import { mobilenetV2Macs } from './mobilenetv2.js';
import { measureInterleaved, summarize } from './measure.js';
import { machine, describeMachine } from './machine.js';
import { coralModelPath, coralWasmqFile, liteRtCoral, nhwcToNchw, ortContender, seededInput, tfjsContender, wasmqContender, type Contender } from './contenders.js';
import { label, layersMarkdown, markdownTable, ratios, ratioText, textTable, type ResultRow } from './report.js';
import { svgChart } from './chart.js';
import { profileModel, profileText, type Profile } from './profile.js';
import { benchLayers, layersText } from './layers.js';
import { importTflite } from '../../src/convert/tflite/import.js';

interface Options { quick: boolean; runs?: number; json?: string; svg?: string; md?: string }

function parse(args: string[]): Options {
  const o: Options = { quick: false };
  const value = (i: number) => {
    if (args[i + 1] === undefined) throw new Error(`bench models: ${args[i]} needs a value`);
    return args[i + 1];
  };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--quick') o.quick = true;
    else if (a === '--runs') { o.runs = Number(value(i++)); if (!(o.runs >= 1)) throw new Error('bench models: --runs needs a positive number'); }
    else if (a === '--json') o.json = value(i++);
    else if (a === '--svg') o.svg = value(i++);
    else if (a === '--md') o.md = value(i++);
    else throw new Error(`bench models: unknown option ${a} (use --quick, --runs N, --json FILE, --svg FILE, --md FILE)`);
  }
  if (!o.quick) {
    const dir = path.join(path.dirname(new URL(import.meta.url).pathname), '../results');
    o.json ??= path.join(dir, 'models.json');
    o.svg ??= path.join(dir, 'models.svg');
    o.md ??= path.join(dir, 'models.md');
  }
  return o;
}

function write(file: string | undefined, text: string): void {
  if (!file) return;
  mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  writeFileSync(file, text);
  console.log(`wrote ${file}`);
}

/** Builds one contender; a peer that cannot load is reported and left out rather than ending the run. */
async function tryAdd(list: Contender[], what: string, make: () => Promise<Contender>): Promise<void> {
  try {
    const c = await make();
    list.push(c);
    console.log(`  loaded ${label(c)} in ${c.load_ms.toFixed(0)} ms`);
  } catch (e) {
    console.log(`  SKIPPED ${what}: ${(e as Error).stack}`);
  }
}

export async function main(args: string[]): Promise<void> {
  const opts = parse(args);
  const m = machine(`npm run bench -- models ${args.join(' ')}`.trim());
  console.log(`wasmq model benchmark: MobileNetV2 1.0 224 (${(mobilenetV2Macs() / 1e6).toFixed(0)} MMAC), batch 1, 1 thread each`);
  console.log(describeMachine(m));

  const nhwc = seededInput(224 * 224 * 3);
  const nchw = nhwcToNchw(nhwc, 224, 224, 3);
  const pixels = new Uint8Array(nhwc.length).map((_, i) => Math.round((nhwc[i] + 1) * 127.5));

  console.log('\npreparing models (the synthetic MobileNetV2 is quantized by wasmq with random calibration: latency does not depend on values)');
  const onnx = mobilenetV2Onnx();
  const converted = await convert(onnx, [], { randomCalibration: 4 });
  const floatFile = writeModel(converted.floatModel);
  // the same int8 model for onnxruntime: wasmq's quantization as ONNX QDQ, fused by onnxruntime into int8 kernels
  const qdq = exportOnnx(converted.model);

  const list: Contender[] = [];
  const coral = coralModelPath();
  if (coral) {
    await tryAdd(list, 'wasmq int8 (coral)', () => wasmqContender(coralWasmqFile(coral), pixels, { precision: 'int8', model: 'coral-tf2-ptq' }));
    await tryAdd(list, 'LiteRT.js int8 (coral)', () => liteRtCoral(coral, pixels));
  }
  await tryAdd(list, 'wasmq int8 (synthetic)', () => wasmqContender(converted.bytes, nhwc, { precision: 'int8', model: 'synthetic' }));
  await tryAdd(list, 'wasmq float32 (synthetic)', () => wasmqContender(floatFile, nhwc, { precision: 'float32', model: 'synthetic' }));
  await tryAdd(list, 'onnxruntime-web float32', () => ortContender('web', onnx, nchw, { precision: 'float32', model: 'synthetic' }));
  await tryAdd(list, 'onnxruntime-node float32', () => ortContender('node', onnx, nchw, { precision: 'float32', model: 'synthetic' }));
  await tryAdd(list, 'onnxruntime-web int8 QDQ', () => ortContender('web', qdq, nchw, { precision: 'int8', model: 'synthetic' }));
  await tryAdd(list, 'onnxruntime-node int8 QDQ', () => ortContender('node', qdq, nchw, { precision: 'int8', model: 'synthetic' }));
  await tryAdd(list, 'tfjs-wasm float32', () => tfjsContender(nhwc));

  const rounds = opts.runs ?? (opts.quick ? 10 : 50);
  console.log(`\nwarming up, then ${rounds} interleaved rounds (one run of each runtime per round)`);
  const samples = await measureInterleaved(list, {
    rounds, warmupRuns: opts.quick ? 3 : 5, warmupMs: opts.quick ? 300 : 1500,
    onRound: (r) => { if ((r + 1) % 10 === 0) process.stdout.write(`  round ${r + 1}/${rounds}\n`); },
  });
  const rows: ResultRow[] = list.map((c, k) => ({
    runtime: c.runtime, precision: c.precision, model: c.model, threads: c.threads, ...summarize(samples.wall[k]),
    cpu_ms: summarize(samples.cpu[k]).median_ms,
    load_ms: c.load_ms, wasm_bytes: c.wasm_bytes, model_bytes: c.model_bytes,
    ...(c.arena_bytes !== undefined ? { arena_bytes: c.arena_bytes, packed_weight_bytes: c.packed_weight_bytes } : {}),
  }));
  for (const c of list) await c.dispose?.();

  console.log(`\n${textTable(rows)}`);
  const rs = ratios(rows);
  console.log(`\nratios (wasmq int8 median / peer median; below 1 = wasmq faster):\n${ratioText(rs)}`);
  const machineLine = `${m.cpu}, Node ${m.node}, ${m.date.slice(0, 10)}.`;
  const md = markdownTable(rows, machineLine);
  console.log(`\n${md}\n`);
  write(opts.svg, svgChart(rows, 'MobileNetV2 1.0 224, batch 1, 1 thread', `${m.cpu}, ${m.cores} cores, Node ${m.node}, ${m.date.slice(0, 16).replace('T', ' ')} UTC`));

  const profiles: Profile[] = [];
  const profileRuns = opts.quick ? 5 : 20;
  if (coral) profiles.push(await profileModel('coral-tf2-ptq', importTflite(new Uint8Array(readFileSync(coral))), pixels, profileRuns));
  profiles.push(await profileModel('synthetic', converted.model, nhwc, profileRuns));
  for (const p of profiles) console.log(`\n${profileText(p)}`);

  const layers = await benchLayers({ rounds: opts.quick ? 15 : 60, quick: opts.quick });
  console.log(`\n${layersText(layers)}\n`);
  write(opts.md, `${md}\n\nSingle layers (int8 wasmq: int8 in and out; LiteRT.js: float in and out through QUANTIZE / DEQUANTIZE; onnxruntime int8: QDQ with float in and out):\n\n${layersMarkdown(layers)}\n`);
  write(opts.json, JSON.stringify({ machine: m, rows, ratios: rs, profiles, layers }, null, 2) + '\n');
}
