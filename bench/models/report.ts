// Text, markdown and ratio views of the model benchmark's rows.
import type { Stats } from './measure.js';

export interface ResultRow extends Stats {
  runtime: string;
  precision: string;
  model: string;
  threads: number;
  /** median CPU time of the process per run (all threads): about median_ms when the runtime uses one thread */
  cpu_ms: number;
  load_ms: number;
  wasm_bytes: number;
  model_bytes: number;
  arena_bytes?: number;
  packed_weight_bytes?: number;
}

export interface Ratio {
  /** the wasmq int8 row the ratio is taken from */
  wasmq: string;
  peer: string;
  /** wasmq median / peer median: below 1 means wasmq is faster */
  ratio: number;
}

export const label = (r: Pick<ResultRow, 'runtime' | 'precision' | 'model'>) => `${r.runtime} ${r.precision} (${r.model})`;
const mb = (n: number) => `${(n / 2 ** 20).toFixed(2)} MiB`;

/** wasmq int8 / every peer row, for each wasmq int8 row (the real coral model and the synthetic one). */
export function ratios(rows: ResultRow[]): Ratio[] {
  const out: Ratio[] = [];
  for (const w of rows.filter((r) => r.runtime === 'wasmq' && r.precision === 'int8')) {
    for (const p of rows.filter((r) => r.runtime !== 'wasmq')) out.push({ wasmq: label(w), peer: label(p), ratio: w.median_ms / p.median_ms });
  }
  return out;
}

export function textTable(rows: ResultRow[]): string {
  const head = `${'runtime'.padEnd(18)}${'precision'.padEnd(10)}${'model'.padEnd(15)}${'median'.padStart(8)}${'p10'.padStart(8)}${'p90'.padStart(8)}${'cpu'.padStart(8)}${'runs'.padStart(6)}${'load'.padStart(9)}${'wasm'.padStart(11)}${'model'.padStart(11)}  arena`;
  const lines = rows.map((r) => `${r.runtime.padEnd(18)}${r.precision.padEnd(10)}${r.model.padEnd(15)}${r.median_ms.toFixed(2).padStart(8)}${r.p10_ms.toFixed(2).padStart(8)}${r.p90_ms.toFixed(2).padStart(8)}${r.cpu_ms.toFixed(2).padStart(8)}${String(r.runs).padStart(6)}${(r.load_ms.toFixed(0) + 'ms').padStart(9)}${mb(r.wasm_bytes).padStart(11)}${mb(r.model_bytes).padStart(11)}  ${r.arena_bytes !== undefined ? mb(r.arena_bytes) : ''}`);
  return [head + '   (times in ms; cpu = the process\'s CPU time per run, all threads: ~ median for one thread)', ...lines].join('\n');
}

export function ratioText(rs: Ratio[]): string {
  return rs.map((r) => `  ${r.wasmq} / ${r.peer}: ${r.ratio.toFixed(2)}x`).join('\n');
}

/** The README table: one row per runtime, with the ratio to wasmq int8 on the same model family. */
export function markdownTable(rows: ResultRow[], machineLine: string): string {
  const coral = rows.find((r) => r.runtime === 'wasmq' && r.precision === 'int8' && r.model === 'coral-tf2-ptq');
  const synth = rows.find((r) => r.runtime === 'wasmq' && r.precision === 'int8' && r.model === 'synthetic');
  const lines = [
    '| runtime | precision | model | median ms | p10 ms | p90 ms | CPU ms | wasmq int8 ÷ this | load ms | wasm + model |',
    '|---|---|---|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const r of rows) {
    const ref = r.model === 'coral-tf2-ptq' ? coral : synth;
    const ratio = ref && ref !== r ? `${(ref.median_ms / r.median_ms).toFixed(2)}×` : '—';
    const bytes = `${mb(r.wasm_bytes)} + ${mb(r.model_bytes)}`;
    const precision = r.precision === 'int8' && r.runtime.startsWith('onnxruntime') ? 'int8 (QDQ)' : r.precision;
    lines.push(`| ${r.runtime} | ${precision} | ${r.model} | ${r.median_ms.toFixed(1)} | ${r.p10_ms.toFixed(1)} | ${r.p90_ms.toFixed(1)} | ${r.cpu_ms.toFixed(1)} | ${ratio} | ${r.load_ms.toFixed(0)} | ${bytes} |`);
  }
  lines.push('', `MobileNetV2 1.0 224, batch 1, 1 thread each, interleaved runs, ${rows[0]?.runs ?? 0} timed runs per row; CPU ms is the process's CPU time per run over all its threads (≈ the median when a runtime computes on one thread). ${machineLine}`);
  lines.push('coral-tf2-ptq: the real int8 model `tf2_mobilenet_v2_1.0_224_ptq.tflite`, run by LiteRT.js as is and by wasmq after `wasmq convert`. synthetic: the same architecture with seeded weights, quantized by wasmq (random calibration: latency does not depend on values); onnxruntime runs that int8 model through `wasmq export-onnx` (QDQ). "wasmq int8 ÷ this" compares with wasmq int8 on the same model family (below 1: wasmq is faster).');
  return lines.join('\n');
}

export interface LayerRowLike { layer: string; runtime: string; precision: string; median_ms: number; p10_ms: number; p90_ms: number; gops: number }

export function layersMarkdown(rows: LayerRowLike[]): string {
  const lines = ['| layer | runtime | precision | median ms | p10 ms | p90 ms | GOP/s |', '|---|---|---|---:|---:|---:|---:|'];
  for (const r of rows) lines.push(`| ${r.layer} | ${r.runtime} | ${r.precision} | ${r.median_ms.toFixed(3)} | ${r.p10_ms.toFixed(3)} | ${r.p90_ms.toFixed(3)} | ${r.gops.toFixed(1)} |`);
  return lines.join('\n');
}
