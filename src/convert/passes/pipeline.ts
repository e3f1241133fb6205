// The default pass order from an imported ONNX graph to an NHWC graph of converter ops.
import type { Graph } from '../ir/graph.js';
import { ConvertError } from '../ir/errors.js';
import { canonicalizeReshapes } from './canonical-reshape.js';
import { foldBatchNorm } from './fold-batchnorm.js';
import { foldConstants } from './fold-constants.js';
import { fuseActivations } from './fuse-activations.js';
import { gemmToFullyConnected } from './gemm-to-fc.js';
import { removeIdentities } from './remove-identities.js';
import { paramsToAttrs } from './params-to-attrs.js';
import { foldPadIntoConv } from './fold-pad.js';
import { fuseHardSwishPattern } from './hardswish-pattern.js';
import { subDivToAddMul } from './sub-div-to-add-mul.js';
import { toNHWC } from './to-nhwc.js';

export type Pass = (g: Graph) => Graph;

export const DEFAULT_PASSES: readonly Pass[] = [
  foldConstants, removeIdentities, paramsToAttrs, subDivToAddMul, canonicalizeReshapes, foldPadIntoConv,
  fuseHardSwishPattern, gemmToFullyConnected, foldBatchNorm, fuseActivations, toNHWC,
];

/** Ops that only exist to be folded away. */
const FOLD_ONLY = new Set(['Shape', 'Gather', 'Slice', 'Cast', 'ConstantOfShape', 'Sub', 'Div']);

/** Runs the passes in order (each returns a new graph) and checks no shape-only op survived. */
export function runPasses(graph: Graph, passes: readonly Pass[] = DEFAULT_PASSES): Graph {
  let g = graph;
  for (const pass of passes) g = pass(g);
  const left = g.nodes.filter((n) => FOLD_ONLY.has(n.op));
  if (left.length) {
    throw new ConvertError('NOT_CONSTANT', `these nodes compute on non-constant data and are not supported: ${left.map((n) => `${n.op} '${n.name}'`).join(', ')}`);
  }
  return g;
}
