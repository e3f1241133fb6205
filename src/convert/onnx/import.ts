// ONNX ModelProto bytes -> float graph IR (NCHW) with static shapes. Everything that can be refused is refused
// before any work: unsupported ops (one error listing all), non-float inputs, unresolvable dynamic shapes.
import type { Graph, IrNode, IrTensor } from '../ir/graph.js';
import { ConvertError } from '../ir/errors.js';
import { inferShapes, MAX_ELEMENTS } from '../ir/shape.js';
import { Attributes } from './attributes.js';
import { elemTypeOf } from './dtype.js';
import { nodeLabel, translateNode, unsupportedReason } from './nodes.js';
import { decodeModelProto, type GraphProto, type ModelProto, type NodeProto } from './proto.js';
import { tensorFromProto, type ExternalDataOptions } from './tensor.js';

export interface ImportOptions extends ExternalDataOptions {
  /** static shapes for graph inputs, overriding the model's (e.g. to fix symbolic dims) */
  inputShapes?: Record<string, number[]>;
  /** value for a symbolic or unknown first (batch) dimension of every input; default: refuse */
  batchSize?: number;
  /** name used in error messages */
  source?: string;
}

export const MIN_OPSET = 9;
export const MAX_OPSET = 21;

function defaultOpset(m: ModelProto): number {
  const entry = m.opsetImport.find((o) => !o.domain || o.domain === 'ai.onnx');
  if (!entry) throw new ConvertError('MALFORMED_ONNX', 'model has no default-domain opset_import');
  const v = Number(entry.version);
  if (v < MIN_OPSET || v > MAX_OPSET) throw new ConvertError('UNSUPPORTED_OPS', `opset ${v} is not supported (wasmq reads opsets ${MIN_OPSET}-${MAX_OPSET})`);
  return v;
}

function constantNodeTensor(n: NodeProto, index: number, ext: ExternalDataOptions): IrTensor {
  const name = n.output[0];
  const a = new Attributes(n, nodeLabel(n, index));
  const t = a.tensor('value');
  if (t) return { ...tensorFromProto(t, name, ext), name };
  const f = a.float('value_float'), fs = a.floats('value_floats'), i = a.int('value_int'), is = a.ints('value_ints');
  if (f !== undefined) return { name, dtype: 'float32', shape: [], data: Float32Array.of(f) };
  if (fs) return { name, dtype: 'float32', shape: [fs.length], data: Float32Array.from(fs) };
  if (i !== undefined) return { name, dtype: 'int64', shape: [], data: Float64Array.of(i) };
  return { name, dtype: 'int64', shape: [is!.length], data: Float64Array.from(is!) };
}

/** Orders nodes so every input is produced before use; a missing producer is a DANGLING_EDGE. */
function topoSort(nodes: IrNode[], available: Set<string>): IrNode[] {
  const done = new Set(available);
  const out: IrNode[] = [];
  let pending = nodes;
  while (pending.length) {
    const next: IrNode[] = [];
    for (const n of pending) {
      if (n.inputs.every((i) => i === '' || done.has(i))) {
        out.push(n);
        n.outputs.forEach((o) => done.add(o));
      } else next.push(n);
    }
    if (next.length === pending.length) {
      const n = next[0];
      const k = n.inputs.findIndex((i) => i !== '' && !done.has(i));
      // inputs after the first are weights and parameters: those are missing initializers
      if (k > 0) throw new ConvertError('MISSING_INITIALIZER', `${n.op} node '${n.name}': input ${k} '${n.inputs[k]}' is neither an initializer, a Constant nor produced by a node`);
      throw new ConvertError('DANGLING_EDGE', `${n.op} node '${n.name}': input '${n.inputs[k]}' is not produced by any node, initializer or graph input`);
    }
    pending = next;
  }
  return out;
}

function inputShape(name: string, vi: GraphProto['input'][number], options: ImportOptions): number[] {
  const shape = declaredInputShape(name, vi, options);
  if (shape.reduce((a, d) => a * d, 1) > MAX_ELEMENTS) throw new ConvertError('SHAPE_MISMATCH', `graph input '${name}' [${shape}] is larger than ${MAX_ELEMENTS} elements`);
  return shape;
}

function declaredInputShape(name: string, vi: GraphProto['input'][number], options: ImportOptions): number[] {
  const given = options.inputShapes?.[name];
  if (given) {
    if (given.some((d) => !Number.isSafeInteger(d) || d < 1)) throw new ConvertError('DYNAMIC_SHAPE', `inputShapes['${name}'] = [${given}] must be positive integers`);
    return [...given];
  }
  const dims = vi.type?.tensorType?.shape?.dim;
  if (!dims) throw new ConvertError('DYNAMIC_SHAPE', `graph input '${name}' has no shape: give it with inputShapes`);
  return dims.map((d, i) => {
    const v = d.dimValue === undefined ? undefined : Number(d.dimValue);
    if (v !== undefined && Number.isSafeInteger(v) && v > 0) return v;
    if (i === 0 && options.batchSize !== undefined) return options.batchSize;
    throw new ConvertError('DYNAMIC_SHAPE', `graph input '${name}' dimension ${i} is ${d.dimParam ? `symbolic ('${d.dimParam}')` : 'unknown'}: set batchSize (for dimension 0) or inputShapes['${name}']`);
  });
}

/** Imports a decoded ModelProto. */
export function importModelProto(m: ModelProto, options: ImportOptions = {}): Graph {
  const gp = m.graph;
  if (!gp) throw new ConvertError('MALFORMED_ONNX', `${options.source ?? 'model'}: no graph`);
  const opset = defaultOpset(m);

  // small constants (Dropout's training_mode) are read on demand, before any other work
  const constant = (name: string) => {
    const init = gp.initializer.find((t) => t.name === name);
    if (init) return tensorFromProto(init, name, options).data;
    const k = gp.node.findIndex((n) => n.opType === 'Constant' && n.output[0] === name);
    return k >= 0 ? constantNodeTensor(gp.node[k], k, options).data : undefined;
  };
  const problems = gp.node.map((n, i) => [n, i, unsupportedReason(n, constant)] as const).filter(([, , r]) => r);
  if (problems.length) {
    const list = problems.map(([n, i, r]) => `  ${nodeLabel(n, i)}: ${r}`).join('\n');
    throw new ConvertError('UNSUPPORTED_OPS', `${problems.length} unsupported node(s) in ${options.source ?? 'the model'}:\n${list}`);
  }

  const tensors = new Map<string, IrTensor>();
  gp.initializer.forEach((t, i) => {
    const ir = tensorFromProto(t, `initializer_${i}`, options);
    tensors.set(ir.name, ir);
  });
  gp.node.forEach((n, i) => n.opType === 'Constant' && n.output[0] && tensors.set(n.output[0], constantNodeTensor(n, i, options)));

  const inputs: string[] = [];
  for (const vi of gp.input) {
    const name = vi.name ?? '';
    if (tensors.has(name)) continue; // an initializer listed as input (IR < 4 style): a constant
    const type = elemTypeOf(vi.type?.tensorType?.elemType);
    if (type !== 'float32') throw new ConvertError('NON_FLOAT_INPUT', `graph input '${name}' is ${type ?? 'not a tensor'}; wasmq models take float32 inputs`);
    tensors.set(name, { name, dtype: 'float32', shape: inputShape(name, vi, options) });
    inputs.push(name);
  }
  if (inputs.length === 0) throw new ConvertError('MALFORMED_ONNX', 'the graph has no (non-initializer) inputs');

  const nodes = gp.node.flatMap((n, i) => (n.opType === 'Constant' ? [] : [translateNode(n, i, opset)]));
  const sorted = topoSort(nodes, new Set(tensors.keys()));
  for (const n of sorted) for (const o of n.outputs) if (o && !tensors.has(o)) tensors.set(o, { name: o, dtype: 'float32' });
  const outputs = gp.output.map((o) => o.name ?? '');
  for (const o of outputs) {
    if (!tensors.has(o)) throw new ConvertError('DANGLING_EDGE', `graph output '${o}' is not produced by any node`);
  }

  const metadata: Record<string, string> = { producer: `${m.producerName ?? ''} ${m.producerVersion ?? ''}`.trim() };
  for (const e of m.metadataProps) if (e.key) metadata[e.key] = e.value ?? '';
  return inferShapes({ layout: 'NCHW', tensors, nodes: sorted, inputs, outputs, opset, metadata });
}

/**
 * Imports ONNX model bytes into the float IR (NCHW, shapes inferred). For external data pass `baseDir` (the
 * model's folder) and `readFile` (e.g. nodeFileReader from external-node.ts).
 */
export function importOnnx(bytes: Uint8Array, options: ImportOptions = {}): Graph {
  return importModelProto(decodeModelProto(bytes, options.source), options);
}
