// Runs a case through import + some passes and compares the executor with onnxruntime, converting rank-4
// inputs/outputs when the graph ended NHWC.
import * as assert from 'uvu/assert';
import { importOnnx } from '../../../src/convert/onnx/import.js';
import { execute } from '../../../src/convert/ir/execute.js';
import type { Graph } from '../../../src/convert/ir/graph.js';
import { runPasses, type Pass } from '../../../src/convert/passes/pipeline.js';
import { prng } from '../../ref/prng.js';
import { cases, type Case } from '../onnx/cases.js';
import { assertClose, randomInput, runOrt, toNHWC } from '../onnx/helpers.js';

export function caseNamed(fragment: string): Case {
  const c = cases().find((k) => k.name.includes(fragment));
  if (!c) throw new Error(`no case '${fragment}'`);
  return c;
}

/** Imports, runs `passes`, compares every output with onnxruntime within `tol`; returns the passed graph. */
export async function checkPasses(c: Case, passes: readonly Pass[], tol: number): Promise<Graph> {
  const rng = prng(c.name.length + 1);
  const inputs = Object.fromEntries(Object.entries(c.inputs).map(([k, dims]) => [k, randomInput(rng, dims)]));
  const want = await runOrt(c.bytes, inputs);
  const g = runPasses(importOnnx(c.bytes), passes);
  const feeds = Object.fromEntries(Object.entries(inputs).map(([k, v]) => [k, g.layout === 'NHWC' && v.dims.length === 4 ? toNHWC(v.data, v.dims) : v.data]));
  const got = execute(g, feeds);
  for (const name of g.outputs) {
    const s = g.tensors.get(name)!.shape!;
    let expected: ArrayLike<number> = want[name];
    if (g.layout === 'NHWC' && s.length === 4) expected = toNHWC(expected, [s[0], s[3], s[1], s[2]]);
    assert.is(s.reduce((a, d) => a * d, 1), want[name].length, `${c.name}: ${name} size`);
    assertClose(got[name], expected, tol, `${c.name}: ${name}`);
  }
  return g;
}
