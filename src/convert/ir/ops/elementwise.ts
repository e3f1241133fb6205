// Broadcasting binary ops, unary activations, Clip and BatchNorm (channel axis follows the layout).
import type { IrActivation, IrOpKind } from '../graph.js';
import { activate, broadcastIndex, broadcastShapes, fail, isFloat, need, param, type OpDef } from './types.js';

function binary<K extends 'Add' | 'Mul' | 'Sub' | 'Div'>(f: (a: number, b: number) => number): OpDef<K> {
  return {
    infer(node, inputs) {
      const a = need(node, inputs, 0), b = need(node, inputs, 1);
      if (a.dtype !== b.dtype) fail(node, 'SHAPE_MISMATCH', `input types differ (${a.dtype}, ${b.dtype})`);
      return [{ shape: broadcastShapes(node, a.shape, b.shape), dtype: a.dtype }];
    },
    run(node, inputs, outputs) {
      const a = need(node, inputs, 0), b = need(node, inputs, 1), y = outputs[0];
      const ai = broadcastIndex(a.shape, y.shape), bi = broadcastIndex(b.shape, y.shape);
      const attrs = (node as { attrs: { activation?: IrActivation } }).attrs;
      const act: IrActivation = attrs.activation ?? 'none';
      const integer = !isFloat(y.dtype);
      for (let i = 0; i < y.data.length; i++) {
        const v = f(a.data[ai[i]], b.data[bi[i]]);
        y.data[i] = activate(integer ? Math.trunc(v) : v, act);
      }
    },
  };
}

export const Add = binary<'Add'>((a, b) => a + b);
export const Mul = binary<'Mul'>((a, b) => a * b);
export const Sub = binary<'Sub'>((a, b) => a - b);
export const Div = binary<'Div'>((a, b) => a / b);

type UnaryKind = Extract<IrOpKind, 'Relu' | 'Relu6' | 'LeakyRelu' | 'Sigmoid' | 'HardSigmoid' | 'HardSwish' | 'Tanh' | 'Identity' | 'Dropout' | 'Clip'>;

function unary<K extends UnaryKind>(f: (x: number, node: Parameters<OpDef<K>['run']>[0], inputs: Parameters<OpDef<K>['run']>[1]) => (v: number) => number): OpDef<K> {
  return {
    infer(node, inputs) {
      const x = need(node, inputs, 0);
      return [{ shape: [...x.shape], dtype: x.dtype }];
    },
    run(node, inputs, outputs) {
      const x = need(node, inputs, 0), y = outputs[0].data;
      const g = f(0, node, inputs);
      for (let i = 0; i < y.length; i++) y[i] = g(x.data[i]);
    },
  };
}

const plain = <K extends UnaryKind>(g: (v: number) => number) => unary<K>(() => g);

export const Relu = plain<'Relu'>((v) => (v > 0 ? v : 0));
export const Relu6 = plain<'Relu6'>((v) => (v < 0 ? 0 : v > 6 ? 6 : v));
export const Sigmoid = plain<'Sigmoid'>((v) => 1 / (1 + Math.exp(-v)));
export const Tanh = plain<'Tanh'>(Math.tanh);
export const HardSwish = plain<'HardSwish'>((v) => activate(v, 'hardswish'));
export const Identity = plain<'Identity'>((v) => v);
export const Dropout = plain<'Dropout'>((v) => v);
export const LeakyRelu = unary<'LeakyRelu'>((_, node) => (v) => (v >= 0 ? v : v * node.attrs.alpha));
export const HardSigmoid = unary<'HardSigmoid'>((_, node) => (v) => Math.max(0, Math.min(1, node.attrs.alpha * v + node.attrs.beta)));

/** Clip bounds: attributes (opset < 11) or constant scalar inputs; absent means unbounded. */
export function clipBounds(node: Parameters<OpDef<'Clip'>['infer']>[0], inputs: Parameters<OpDef<'Clip'>['infer']>[1]): [number, number] {
  const lo = param(node, node.attrs.min === undefined ? undefined : [node.attrs.min], inputs[1], 'min');
  const hi = param(node, node.attrs.max === undefined ? undefined : [node.attrs.max], inputs[2], 'max');
  return [lo ? lo[0] : -Infinity, hi ? hi[0] : Infinity];
}

export const Clip = unary<'Clip'>((_, node, inputs) => {
  const [lo, hi] = clipBounds(node, inputs);
  return (v) => Math.min(Math.max(v, lo), hi);
});

export const BatchNorm: OpDef<'BatchNorm'> = {
  infer(node, inputs, layout) {
    const x = need(node, inputs, 0);
    const C = layout === 'NCHW' || x.shape.length < 3 ? x.shape[1] : x.shape[x.shape.length - 1];
    for (let i = 1; i <= 4; i++) {
      const p = need(node, inputs, i);
      if (p.shape.length !== 1 || p.shape[0] !== C) fail(node, 'SHAPE_MISMATCH', `parameter ${i} [${p.shape}] must be [${C}]`);
    }
    return [{ shape: [...x.shape], dtype: x.dtype }];
  },
  run(node, inputs, outputs, layout) {
    const x = need(node, inputs, 0);
    const [s, b, m, v] = [1, 2, 3, 4].map((i) => need(node, inputs, i).data);
    const channelLast = layout === 'NHWC' && x.shape.length >= 3;
    const C = s.length;
    const inner = channelLast ? 1 : x.shape.slice(2).reduce((a, d) => a * d, 1);
    const y = outputs[0].data;
    for (let i = 0; i < y.length; i++) {
      const c = channelLast ? i % C : Math.floor(i / inner) % C;
      y[i] = (s[c] * (x.data[i] - m[c])) / Math.sqrt(v[c] + node.attrs.epsilon) + b[c];
    }
  },
};
