// MaxPool, AveragePool (2D, either layout) and Mean (reduce-mean over any axes; GlobalAveragePool is Mean).
import type { Layout, PoolAttrs } from '../graph.js';
import { activate, fail, need, normAxis, stridesOf, type InferInput, type OpDef, type Value } from './types.js';
import { nchwDims, offsetFn, shapeFromNCHW, windowOutput } from './spatial.js';

function poolGeometry(node: { name: string; op: string; attrs: PoolAttrs }, x: InferInput, layout: Layout) {
  if (x.shape.length !== 4) fail(node, 'UNSUPPORTED_ATTRIBUTE', `only 2D pools are supported (input rank ${x.shape.length})`);
  const [N, C, H, W] = nchwDims(x.shape, layout);
  const a = node.attrs;
  const { pads, out } = windowOutput({ kernel: a.kernel, strides: a.strides, dilations: [1, 1], pads: a.pads, autoPad: a.autoPad, ceilMode: a.ceilMode }, [H, W]);
  if (out[0] < 1 || out[1] < 1) fail(node, 'SHAPE_MISMATCH', `window ${a.kernel} larger than padded input ${H}x${W}`);
  return { N, C, H, W, OH: out[0], OW: out[1], pads };
}

function makePool(kind: 'max' | 'avg'): OpDef<'MaxPool'> & OpDef<'AveragePool'> {
  return {
    infer(node, inputs, layout) {
      const x = need(node, inputs, 0);
      const g = poolGeometry(node, x, layout);
      return [{ shape: shapeFromNCHW(g.N, g.C, g.OH, g.OW, layout), dtype: x.dtype }];
    },
    run(node, inputs, outputs, layout) {
      const x = need(node, inputs, 0);
      const g = poolGeometry(node, x, layout);
      const [KH, KW] = node.attrs.kernel, [sh, sw] = node.attrs.strides;
      const xOff = offsetFn([g.N, g.C, g.H, g.W], layout), yOff = offsetFn([g.N, g.C, g.OH, g.OW], layout);
      const y = outputs[0].data;
      for (let n = 0; n < g.N; n++) for (let c = 0; c < g.C; c++) for (let oh = 0; oh < g.OH; oh++) for (let ow = 0; ow < g.OW; ow++) {
        const hs = oh * sh - g.pads[0], ws = ow * sw - g.pads[1];
        const he = Math.min(hs + KH, g.H + g.pads[2]), we = Math.min(ws + KW, g.W + g.pads[3]);
        const padded = (he - hs) * (we - ws);
        let acc = kind === 'max' ? -Infinity : 0, count = 0;
        for (let h = Math.max(hs, 0); h < Math.min(he, g.H); h++) for (let w = Math.max(ws, 0); w < Math.min(we, g.W); w++) {
          const v = x.data[xOff(n, c, h, w)];
          acc = kind === 'max' ? Math.max(acc, v) : acc + v;
          count++;
        }
        if (kind === 'avg') acc /= node.attrs.countIncludePad ? padded : count;
        y[yOff(n, c, oh, ow)] = activate(acc, node.attrs.activation);
      }
    },
  };
}

export const MaxPool: OpDef<'MaxPool'> = makePool('max');
export const AveragePool: OpDef<'AveragePool'> = makePool('avg');

function meanAxes(node: Parameters<OpDef<'Mean'>['infer']>[0], inputs: (InferInput | undefined)[], rank: number): number[] {
  let axes = node.attrs.axes;
  if (!axes && inputs[1]) {
    if (!inputs[1].data) fail(node, 'NOT_CONSTANT', 'axes must be a constant');
    axes = Array.from(inputs[1].data);
  }
  if (!axes || axes.length === 0) return node.attrs.noopWithEmptyAxes ? [] : [...Array(rank).keys()];
  return [...new Set(axes.map((a) => normAxis(node, a, rank)))].sort((p, q) => p - q);
}

export const Mean: OpDef<'Mean'> = {
  infer(node, inputs) {
    const x = need(node, inputs, 0);
    const axes = meanAxes(node, inputs, x.shape.length);
    const shape = node.attrs.keepDims
      ? x.shape.map((d, i) => (axes.includes(i) ? 1 : d))
      : x.shape.filter((_, i) => !axes.includes(i));
    return [{ shape, dtype: x.dtype }];
  },
  run(node, inputs, outputs) {
    const x = need(node, inputs, 0);
    const axes = meanAxes(node, inputs, x.shape.length);
    const keptShape = x.shape.map((d, i) => (axes.includes(i) ? 1 : d));
    const outStrides = stridesOf(keptShape), inStrides = stridesOf(x.shape);
    const y = new Float64Array(outputs[0].data.length);
    const count = axes.reduce((a, ax) => a * x.shape[ax], 1);
    for (let i = 0; i < x.data.length; i++) {
      let o = 0;
      for (let d = 0; d < x.shape.length; d++) if (!axes.includes(d)) o += Math.floor(i / inStrides[d]) % x.shape[d] * outStrides[d];
      y[o] += x.data[i];
    }
    for (let i = 0; i < y.length; i++) outputs[0].data[i] = y[i] / count;
  },
};
