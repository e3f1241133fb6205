// Every kernel benchmark case, for the Node runner (index.ts) and the in-browser page (browser.ts).
import type { KernelCase } from './case.js';
import { cases as gemmCases } from './gemm.js';
import { cases as convCases } from './conv.js';
import { cases as dwconvCases } from './dwconv.js';
import { cases as f32Cases } from './f32.js';
import { cases as opsCases } from './ops.js';

export const ALL_CASES: readonly KernelCase[] = [...gemmCases, ...convCases, ...dwconvCases, ...f32Cases, ...opsCases];

/** A shape name without its ' (variant)' suffix: '56x56x144 s2 (general requant)' -> '56x56x144 s2'. */
export function baseShape(shape: string): string {
  return shape.replace(/ \(.*\)$/, '');
}

/** Variants of one (kernel, base shape) grouped, so that they are measured side by side. */
export function groupCases(cases: readonly KernelCase[]): KernelCase[][] {
  const groups = new Map<string, KernelCase[]>();
  for (const c of cases) {
    const key = `${c.kernel}\u0000${baseShape(c.shape)}`;
    groups.set(key, [...(groups.get(key) ?? []), c]);
  }
  return [...groups.values()];
}
