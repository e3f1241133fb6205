// The float reference executor of the IR, in either layout: plain loops over float32 (rounded after every op,
// like onnxruntime) or float64 storage. It is the oracle for the passes and the fallback for calibration,
// not a fast path.
import type { Graph, IrDType, IrNode, Layout, TensorData } from './graph.js';
import { numel } from './graph.js';
import { ConvertError } from './errors.js';
import { opDef } from './ops/registry.js';
import { isFloat, type Value } from './ops/types.js';

export type Precision = 'float32' | 'float64';

export interface ExecuteOptions {
  precision?: Precision;
  /** also return these intermediate tensors (e.g. for calibration statistics) */
  keep?: string[];
}

function alloc(n: number, dtype: IrDType, precision: Precision): TensorData {
  return isFloat(dtype) && precision === 'float32' ? new Float32Array(n) : new Float64Array(n);
}

/** Runs one node on values: computes output shapes with the op's infer, allocates, runs. */
export function evalNode(node: IrNode, inputs: (Value | undefined)[], layout: Layout, precision: Precision = 'float32'): Value[] {
  const def = opDef(node);
  const infos = def.infer(node as never, inputs, layout);
  const outputs = infos.map((o) => ({ shape: o.shape, dtype: o.dtype, data: alloc(numel(o.shape), o.dtype, precision) }));
  def.run(node as never, inputs, outputs, layout);
  return outputs;
}

/**
 * Runs the graph on float inputs (by graph input name, flat in the graph's layout) and returns the graph outputs
 * (and `keep` tensors) by name.
 */
export function execute(g: Graph, inputs: Record<string, ArrayLike<number>>, options: ExecuteOptions = {}): Record<string, TensorData> {
  const precision = options.precision ?? 'float32';
  const values = new Map<string, Value>();
  for (const t of g.tensors.values()) {
    if (t.data && t.shape) values.set(t.name, { shape: t.shape, dtype: t.dtype, data: isFloat(t.dtype) ? alloc(t.data.length, t.dtype, precision).map((_, i) => t.data![i]) : t.data });
  }
  for (const name of g.inputs) {
    const t = g.tensors.get(name);
    const given = inputs[name];
    if (!t?.shape) throw new ConvertError('DYNAMIC_SHAPE', `graph input '${name}' has no static shape`);
    if (!given) throw new ConvertError('EXECUTE', `graph input '${name}' was not given`);
    if (given.length !== numel(t.shape)) throw new ConvertError('EXECUTE', `graph input '${name}' has ${given.length} values, expected ${numel(t.shape)} for [${t.shape}]`);
    const data = alloc(given.length, t.dtype, precision);
    for (let i = 0; i < given.length; i++) data[i] = given[i];
    values.set(name, { shape: t.shape, dtype: t.dtype, data });
  }
  for (const node of g.nodes) {
    const ins = node.inputs.map((name) => {
      if (name === '') return undefined;
      const v = values.get(name);
      if (!v) throw new ConvertError('DANGLING_EDGE', `${node.op} node '${node.name}': input '${name}' has no value`);
      return v;
    });
    const outs = evalNode(node, ins, g.layout, precision);
    node.outputs.forEach((name, i) => name !== '' && outs[i] && values.set(name, outs[i]));
  }
  const result: Record<string, TensorData> = {};
  for (const name of [...g.outputs, ...(options.keep ?? [])]) {
    const v = values.get(name);
    if (!v) throw new ConvertError('DANGLING_EDGE', `output '${name}' was never computed`);
    result[name] = v.data;
  }
  return result;
}
