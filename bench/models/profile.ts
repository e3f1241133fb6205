// Where wasmq's int8 time goes: per-op times from run({ profile: true }) (median over runs), grouped by layer
// kind (1x1 / 3x3 convolution, depthwise, ...) and for the 10 slowest layers, with GOP/s (2 ops per MAC).
import type { Model } from '../../src/format/model.js';
import { loadModel, type InputData } from '../../src/index.js';
import { quantile } from './measure.js';

export interface LayerTime {
  op: number;
  kind: string;
  name: string;
  /** e.g. '56x56x24 -> 56x56x144' */
  shape: string;
  macs: number;
  ms: number;
  gops: number;
}

export interface KindTime {
  kind: string;
  count: number;
  ms: number;
  share: number;
  macs: number;
  gops: number;
}

export interface Profile {
  model: string;
  runs: number;
  /** sum of the per-op medians */
  total_ms: number;
  kinds: KindTime[];
  top: LayerTime[];
}

const dims = (s: number[]) => s.slice(1).join('x');

/** Layer kind as the profile groups it: convolutions by kernel size. */
function kindOf(model: Model, op: Model['ops'][number]): string {
  if (op.kind === 'Conv2D') {
    const [, kh, kw] = model.tensors[op.inputs[1]].shape;
    return `Conv2D ${kh}x${kw}`;
  }
  if (op.kind === 'DepthwiseConv2D') {
    const [, kh, kw] = model.tensors[op.inputs[1]].shape;
    return `DepthwiseConv2D ${kh}x${kw}`;
  }
  return op.kind;
}

/** Multiply-accumulates of one op (0 for ops without weights). */
export function opMacs(model: Model, op: Model['ops'][number]): number {
  const out = model.tensors[op.outputs[0]].shape.reduce((a, b) => a * b, 1);
  const w = op.inputs[1] !== undefined ? model.tensors[op.inputs[1]]?.shape : undefined;
  if (!w) return 0;
  if (op.kind === 'Conv2D') return out * w[1] * w[2] * w[3];
  if (op.kind === 'DepthwiseConv2D') return out * w[1] * w[2];
  if (op.kind === 'FullyConnected') return out * w[1];
  return 0;
}

export async function profileModel(name: string, model: Model, input: InputData, runs: number): Promise<Profile> {
  const session = await (await loadModel(model)).createSession();
  const feeds = { [session.inputNames[0]]: input };
  for (let i = 0; i < 3; i++) session.runSync(feeds);
  const times = model.ops.map(() => [] as number[]);
  for (let r = 0; r < runs; r++) {
    const { profile } = session.runSync(feeds, { profile: true });
    for (const t of profile) times[t.op].push(t.ms);
  }
  session.release();
  const layers: LayerTime[] = model.ops.map((op, i) => {
    const ms = quantile([...times[i]].sort((a, b) => a - b), 0.5);
    const macs = opMacs(model, op);
    return { op: i, kind: kindOf(model, op), name: op.name ?? model.tensors[op.outputs[0]].name, shape: `${dims(model.tensors[op.inputs[0]].shape)} -> ${dims(model.tensors[op.outputs[0]].shape)}`, macs, ms, gops: (2 * macs) / ms / 1e6 };
  });
  const total = layers.reduce((a, l) => a + l.ms, 0);
  const byKind = new Map<string, KindTime>();
  for (const l of layers) {
    const k = byKind.get(l.kind) ?? { kind: l.kind, count: 0, ms: 0, share: 0, macs: 0, gops: 0 };
    k.count++; k.ms += l.ms; k.macs += l.macs;
    byKind.set(l.kind, k);
  }
  const kinds = [...byKind.values()].map((k) => ({ ...k, share: k.ms / total, gops: (2 * k.macs) / k.ms / 1e6 })).sort((a, b) => b.ms - a.ms);
  return { model: name, runs, total_ms: total, kinds, top: [...layers].sort((a, b) => b.ms - a.ms).slice(0, 10) };
}

export function profileText(p: Profile): string {
  const lines = [`wasmq int8 per-op profile, ${p.model} (median of ${p.runs} profiled runs; ops sum to ${p.total_ms.toFixed(2)} ms)`];
  lines.push(`  ${'layer kind'.padEnd(22)}${'ops'.padStart(4)}${'ms'.padStart(8)}${'share'.padStart(7)}${'GOP/s'.padStart(8)}`);
  for (const k of p.kinds) lines.push(`  ${k.kind.padEnd(22)}${String(k.count).padStart(4)}${k.ms.toFixed(2).padStart(8)}${(100 * k.share).toFixed(1).padStart(6)}%${(k.macs ? k.gops.toFixed(1) : '').padStart(8)}`);
  lines.push(`  top 10 layers:`);
  for (const l of p.top) lines.push(`  ${String(l.op).padStart(4)} ${l.kind.padEnd(20)}${l.shape.padEnd(28)}${l.ms.toFixed(3).padStart(8)} ms${(l.macs ? `${l.gops.toFixed(1)} GOP/s` : '').padStart(14)}`);
  return lines.join('\n');
}
