// `wasmq run model.wasmq --input x.npy [--output y.npy]`: one inference on .npy inputs, outputs to .npy files
// and a short summary (top classes with labels for classifier outputs, per-op times with --profile).
import type { Command } from 'commander';
import { loadModel } from '../../runtime/load.js';
import { InputError } from '../../runtime/model-error.js';
import type { InputData, OpTiming, OutputData } from '../../runtime/session.js';
import type { ModelInfo, TensorInfo } from '../../runtime/info.js';
import { readNpy, writeNpy } from '../npy.js';
import { readBytes, writeBytes } from '../files.js';
import { collect } from '../command.js';

export interface RunFileOptions {
  /** `path` (graph inputs in order) or `name=path` */
  input: string[];
  /** `path` (graph outputs in order) or `name=path` */
  output?: string[];
  raw?: boolean;
  profile?: boolean;
  /** how many top classes to print for classifier outputs */
  top?: number;
  wasm?: string;
}

/** Pairs `name=path` / `path` specs with tensors: named first, the rest in order. */
export function assignFiles(specs: string[], tensors: TensorInfo[], what: 'input' | 'output'): Map<string, string> {
  const names = tensors.map((t) => t.name);
  const out = new Map<string, string>();
  const unnamed: string[] = [];
  for (const spec of specs) {
    const eq = spec.indexOf('=');
    const name = eq > 0 ? spec.slice(0, eq) : '';
    if (eq > 0 && names.includes(name)) {
      if (out.has(name)) throw new InputError('BAD_INPUT', `${what} '${name}' is given twice`);
      out.set(name, spec.slice(eq + 1));
    } else {
      unnamed.push(spec);
    }
  }
  const free = names.filter((n) => !out.has(n));
  if (unnamed.length > free.length) {
    throw new InputError('BAD_INPUT', `${unnamed.length + out.size} ${what} files for ${names.length} ${what}s (${names.map((n) => `'${n}'`).join(', ')}); name them with ${what}=path`);
  }
  unnamed.forEach((path, i) => out.set(free[i], path));
  return out;
}

async function readFeed(path: string, tensor: TensorInfo): Promise<InputData> {
  const { data, shape } = readNpy(await readBytes(path), path);
  if (data instanceof Int32Array) throw new InputError('BAD_INPUT', `${path}: int32 arrays cannot be fed; input '${tensor.name}' takes float32 or ${tensor.dtype}`);
  const want = tensor.shape.reduce((a, b) => a * b, 1);
  if (data.length !== want) throw new InputError('BAD_INPUT', `${path}: shape (${shape}) has ${data.length} values; input '${tensor.name}' [${tensor.shape}] needs ${want}`);
  return data;
}

function summary(name: string, data: OutputData, tensor: TensorInfo, labels: string[] | undefined, top: number): string[] {
  let lo = Infinity, hi = -Infinity, sum = 0;
  for (const v of data) { lo = Math.min(lo, v); hi = Math.max(hi, v); sum += v; }
  const lines = [`${name} [${tensor.shape}] ${data.constructor.name}: min ${lo.toPrecision(5)} max ${hi.toPrecision(5)} mean ${(sum / data.length).toPrecision(5)}`];
  const classes = tensor.shape[tensor.shape.length - 1];
  if (top > 0 && classes > 1 && classes === data.length) {
    const order = Array.from(data.keys()).sort((a, b) => data[b] - data[a] || a - b).slice(0, top);
    for (const c of order) lines.push(`  ${String(c).padStart(5)}  ${Number(data[c]).toPrecision(5)}${labels?.[c] !== undefined ? `  ${labels[c]}` : ''}`);
  }
  return lines;
}

function profileLines(profile: OpTiming[]): string[] {
  const total = profile.reduce((a, p) => a + p.ms, 0);
  return [
    `per-op times (total ${total.toFixed(3)} ms):`,
    ...profile.map((p) => `  ${String(p.op).padStart(4)}  ${p.kind.padEnd(16)} ${p.ms.toFixed(3).padStart(9)} ms  ${p.name ?? ''}`.trimEnd()),
  ];
}

/** Runs the model once; writes the requested .npy outputs and returns the printed summary. */
export async function runFile(modelPath: string, opts: RunFileOptions): Promise<string> {
  const model = await loadModel(await readBytes(modelPath), { wasm: opts.wasm });
  const info: ModelInfo = model.info;
  const inputFiles = assignFiles(opts.input, info.inputs, 'input');
  const outputFiles = assignFiles(opts.output ?? [], info.outputs, 'output');
  const feeds: Record<string, InputData> = {};
  for (const t of info.inputs) {
    const path = inputFiles.get(t.name);
    if (!path) throw new InputError('BAD_INPUT', `missing input '${t.name}' [${t.shape}] ${t.dtype}: pass --input ${t.name}=file.npy`);
    feeds[t.name] = await readFeed(path, t);
  }
  const session = await model.createSession();
  const t0 = performance.now();
  const { outputs, profile } = await session.run(feeds, { raw: opts.raw, profile: true });
  const ms = performance.now() - t0;
  const lines = [`ran ${info.opCount} ops in ${ms.toFixed(2)} ms`];
  for (const t of info.outputs) {
    const data = outputs[t.name];
    lines.push(...summary(t.name, data, t, info.metadata.labels, opts.top ?? 5));
    const path = outputFiles.get(t.name);
    if (path) {
      await writeBytes(path, writeNpy(data, t.shape));
      lines.push(`  written to ${path}`);
    }
  }
  if (opts.profile) lines.push(...profileLines(profile));
  return lines.join('\n');
}

export function registerRun(program: Command): void {
  program
    .command('run')
    .description('run a model once on .npy inputs')
    .argument('<model>', '.wasmq file')
    .option('-i, --input <file>', 'input .npy (repeat for several inputs; name=file to pick the input)', collect, [])
    .option('-o, --output <file>', 'write an output to .npy (repeat; name=file to pick the output)', collect, [])
    .option('--raw', 'keep quantized outputs as int8/uint8 instead of dequantizing to float32')
    .option('--profile', 'print per-op times')
    .option('--top <n>', 'top classes to print for classifier outputs', (v) => Number.parseInt(v, 10), 5)
    .option('--wasm <path>', 'kernel .wasm to use instead of the packaged one')
    .action(async (model: string, opts: RunFileOptions) => {
      process.stdout.write(`${await runFile(model, opts)}\n`);
    });
}
