// `wasmq inspect model.wasmq`: what the file holds (ops, tensors, quantization) and how it will run
// (memory plan, packed weight bytes).
import type { Command } from 'commander';
import type { Model, TensorDef } from '../../format/model.js';
import { readModel } from '../../format/read.js';
import { loadModel } from '../../runtime/load.js';
import type { WasmqModel } from '../../runtime/loaded-model.js';
import { WasmqError } from '../../runtime/errors.js';
import type { TensorPlacement } from '../../runtime/graph.js';
import { readBytes } from '../files.js';

const bytesText = (n: number): string => `${n.toLocaleString('en-US')} B${n >= 1024 ? ` (${n >= 1 << 20 ? `${(n / (1 << 20)).toFixed(2)} MiB` : `${(n / 1024).toFixed(1)} KiB`})` : ''}`;

function quantText(t: TensorDef): string {
  const q = t.quant;
  if (!q) return '';
  if (q.scales.length === 1) return `scale ${q.scales[0].toPrecision(6)} zp ${q.zeroPoints[0]}`;
  let lo = Infinity, hi = -Infinity;
  for (const s of q.scales) { lo = Math.min(lo, s); hi = Math.max(hi, s); }
  return `${q.scales.length} scales on axis ${q.axis} in [${lo.toPrecision(4)}, ${hi.toPrecision(4)}]`;
}

function optionsText(options: object): string {
  return Object.entries(options).map(([k, v]) => `${k}=${Array.isArray(v) ? `[${v}]` : v}`).join(' ');
}

function table(rows: string[][]): string[] {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  return rows.map((r) => r.map((cell, c) => cell.padEnd(widths[c])).join('  ').trimEnd());
}

/** The report `wasmq inspect` prints; `loaded` is null when the runtime cannot run the model (`why` says why). */
export function inspectReport(file: string, fileBytes: number, model: Model, loaded: WasmqModel | null, why?: string): string {
  const m = model.metadata;
  const lines = [`${file}: ${bytesText(fileBytes)}, format version ${model.version}, producer '${m.producer}'`];
  if (m.calibrationMethod) lines.push(`calibration: ${m.calibrationMethod}`);
  if (m.preprocessing) lines.push(`preprocessing: ${m.preprocessing.layout}, pixel scale ${m.preprocessing.pixelScale}, mean [${m.preprocessing.mean}], std [${m.preprocessing.std}]`);
  if (m.labels) lines.push(`labels: ${m.labels.length} (${m.labels.slice(0, 3).join(', ')}${m.labels.length > 3 ? ', ...' : ''})`);
  for (const [k, v] of Object.entries(m.extra ?? {})) lines.push(`${k}: ${v}`);
  const edge = (i: number): string => {
    const t = model.tensors[i];
    return `  ${t.name}  [${t.shape}] ${t.dtype}${t.quant ? `  ${quantText(t)}` : ''}`;
  };
  lines.push('', 'inputs:', ...model.inputs.map(edge), 'outputs:', ...model.outputs.map(edge));

  const counts = new Map<string, number>();
  for (const op of model.ops) counts.set(op.kind, (counts.get(op.kind) ?? 0) + 1);
  lines.push('', `ops: ${model.ops.length} (${[...counts].map(([k, n]) => `${n} ${k}`).join(', ')})`);
  lines.push(...table([
    ['#', 'kind', 'name', 'inputs', 'output', 'options'],
    ...model.ops.map((op, i) => [String(i), op.kind, op.name ?? '', op.inputs.join(','), op.outputs.join(','), optionsText(op.options)]),
  ]).map((l) => `  ${l}`));

  const placed = new Map<number, TensorPlacement>((loaded?.info.memory.tensors ?? []).map((p) => [p.tensor, p]));
  lines.push('', `tensors: ${model.tensors.length}`);
  lines.push(...table([
    ['#', 'name', 'shape', 'dtype', 'quantization', 'memory'],
    ...model.tensors.map((t, i) => {
      const p = placed.get(i);
      const where = t.buffer !== undefined ? `constant, buffer ${t.buffer} (${model.buffers[t.buffer].byteLength} B)`
        : p ? `arena @${p.offset} +${p.bytes} live ${p.first}..${p.last}${p.storage !== i ? ` (shares tensor ${p.storage})` : ''}` : '';
      return [String(i), t.name, `[${t.shape}]`, t.dtype, quantText(t), where];
    }),
  ]).map((l) => `  ${l}`));

  lines.push('');
  if (loaded) {
    const mem = loaded.info.memory;
    const ratio = mem.arenaLowerBound > 0 ? ` (${((mem.arenaBytes / mem.arenaLowerBound) * 100).toFixed(1)}% of it)` : '';
    lines.push(`memory plan: arena ${bytesText(mem.arenaBytes)} per session, lower bound ${bytesText(mem.arenaLowerBound)}${ratio}`);
    lines.push(`packed weights: ${bytesText(mem.weightBytes)}`);
  } else {
    lines.push(`memory plan: unavailable, the runtime cannot run this model: ${why}`);
  }
  return lines.join('\n');
}

/** The same facts as inspectReport, as JSON for scripts. */
export function inspectJson(file: string, fileBytes: number, model: Model, loaded: WasmqModel | null, why?: string): string {
  const tensor = (t: TensorDef, index: number) => ({
    index, name: t.name, shape: t.shape, dtype: t.dtype,
    ...(t.quant ? { quantization: { scales: [...t.quant.scales], zeroPoints: [...t.quant.zeroPoints], axis: t.quant.axis } } : {}),
    ...(t.buffer !== undefined ? { buffer: t.buffer, bytes: model.buffers[t.buffer].byteLength } : {}),
  });
  return JSON.stringify({
    file, fileBytes, version: model.version, metadata: model.metadata,
    inputs: model.inputs, outputs: model.outputs,
    ops: model.ops.map((op, index) => ({ index, ...op })),
    tensors: model.tensors.map(tensor),
    memory: loaded ? loaded.info.memory : null,
    ...(why ? { unavailable: why } : {}),
  }, null, 2);
}

export async function inspectFile(path: string, options: { wasm?: string; json?: boolean } = {}): Promise<string> {
  const bytes = await readBytes(path);
  const model = readModel(bytes);
  let loaded: WasmqModel | null = null, why: string | undefined;
  try {
    loaded = await loadModel(model, { wasm: options.wasm });
  } catch (e) {
    if (!(e instanceof WasmqError)) throw e;
    why = `${e.code}: ${e.message}`;
  }
  return (options.json ? inspectJson : inspectReport)(path, bytes.byteLength, model, loaded, why);
}

export function registerInspect(program: Command): void {
  program
    .command('inspect')
    .description('print a model\'s ops, tensors, quantization and memory plan')
    .argument('<model>', '.wasmq file')
    .option('--json', 'print JSON instead of text')
    .option('--wasm <path>', 'kernel .wasm to use instead of the packaged one')
    .action(async (model: string, opts: { wasm?: string; json?: boolean }) => {
      process.stdout.write(`${await inspectFile(model, opts)}\n`);
    });
}
