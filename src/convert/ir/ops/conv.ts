// Conv (grouped, NCHW with OIHW weights or NHWC with OHWI weights) and DepthwiseConv (NHWC, 1HWC weights).
import type { ConvAttrs, Layout } from '../graph.js';
import { activate, fail, need, type InferInput, type OpDef, type Value } from './types.js';
import { nchwDims, offsetFn, shapeFromNCHW, windowOutput } from './spatial.js';

interface ConvGeometry {
  N: number; C: number; H: number; W: number; O: number; KH: number; KW: number; OH: number; OW: number;
  pads: [number, number, number, number];
  /** input channels per group and output channels per group */
  cg: number; og: number;
  /** weight offset of (output channel, input channel within group, kh, kw) */
  wOff: (o: number, ci: number, kh: number, kw: number) => number;
}

function geometry(node: { name: string; op: string; attrs: ConvAttrs & { depthMultiplier?: number } }, x: InferInput, w: InferInput, layout: Layout): ConvGeometry {
  if (x.shape.length !== 4) fail(node, 'UNSUPPORTED_ATTRIBUTE', `only 2D convolutions are supported (input rank ${x.shape.length})`);
  if (w.shape.length !== 4) fail(node, 'SHAPE_MISMATCH', `weights must be rank 4, got [${w.shape}]`);
  const [N, C, H, W] = nchwDims(x.shape, layout);
  const a = node.attrs;
  let O: number, KH: number, KW: number, cg: number, og: number, wOff: ConvGeometry['wOff'];
  if (node.op === 'DepthwiseConv') {
    // [1, KH, KW, C * m]: output channel o reads input channel floor(o / m)
    [, KH, KW, O] = w.shape;
    const m = node.attrs.depthMultiplier ?? 1;
    if (w.shape[0] !== 1 || O !== C * m) fail(node, 'SHAPE_MISMATCH', `depthwise weights [${w.shape}] do not match ${C} channels x ${m}`);
    cg = 1;
    og = m;
    wOff = (o, _ci, kh, kw) => (kh * KW + kw) * O + o;
  } else if (layout === 'NCHW') {
    [O, cg, KH, KW] = w.shape;
    og = O / a.group;
    wOff = (o, ci, kh, kw) => ((o * cg + ci) * KH + kh) * KW + kw;
  } else {
    [O, KH, KW, cg] = w.shape;
    og = O / a.group;
    wOff = (o, ci, kh, kw) => ((o * KH + kh) * KW + kw) * cg + ci;
  }
  if (node.op === 'Conv' && (cg * a.group !== C || !Number.isInteger(og))) {
    fail(node, 'SHAPE_MISMATCH', `weights [${w.shape}] with group ${a.group} do not match ${C} input channels`);
  }
  const { pads, out } = windowOutput({ kernel: [KH, KW], strides: a.strides, dilations: a.dilations, pads: a.pads, autoPad: a.autoPad }, [H, W]);
  if (out[0] < 1 || out[1] < 1) fail(node, 'SHAPE_MISMATCH', `kernel ${KH}x${KW} larger than padded input ${H}x${W}`);
  return { N, C, H, W, O, KH, KW, OH: out[0], OW: out[1], pads, cg, og, wOff };
}

function inferConv(node: Parameters<OpDef<'Conv'>['infer']>[0] | Parameters<OpDef<'DepthwiseConv'>['infer']>[0], inputs: (InferInput | undefined)[], layout: Layout) {
  const x = need(node, inputs, 0);
  const g = geometry(node, x, need(node, inputs, 1), layout);
  const b = inputs[2];
  if (b && (b.shape.length !== 1 || b.shape[0] !== g.O)) fail(node, 'SHAPE_MISMATCH', `bias [${b.shape}] must be [${g.O}]`);
  return [{ shape: shapeFromNCHW(g.N, g.O, g.OH, g.OW, layout), dtype: x.dtype }];
}

function runConv(node: Parameters<OpDef<'Conv'>['run']>[0] | Parameters<OpDef<'DepthwiseConv'>['run']>[0], inputs: (Value | undefined)[], outputs: Value[], layout: Layout) {
  const x = need(node, inputs, 0), w = need(node, inputs, 1), b = inputs[2];
  const g = geometry(node, x, w, layout);
  const [sh, sw] = node.attrs.strides, [dh, dw] = node.attrs.dilations;
  const xOff = offsetFn([g.N, g.C, g.H, g.W], layout), yOff = offsetFn([g.N, g.O, g.OH, g.OW], layout);
  const xd = x.data, wd = w.data, y = outputs[0].data;
  for (let n = 0; n < g.N; n++) {
    for (let o = 0; o < g.O; o++) {
      const c0 = Math.floor(o / g.og) * g.cg;
      for (let oh = 0; oh < g.OH; oh++) {
        for (let ow = 0; ow < g.OW; ow++) {
          let acc = b ? b.data[o] : 0;
          for (let kh = 0; kh < g.KH; kh++) {
            const ih = oh * sh - g.pads[0] + kh * dh;
            if (ih < 0 || ih >= g.H) continue;
            for (let kw = 0; kw < g.KW; kw++) {
              const iw = ow * sw - g.pads[1] + kw * dw;
              if (iw < 0 || iw >= g.W) continue;
              for (let ci = 0; ci < g.cg; ci++) acc += xd[xOff(n, c0 + ci, ih, iw)] * wd[g.wOff(o, ci, kh, kw)];
            }
          }
          y[yOff(n, o, oh, ow)] = activate(acc, node.attrs.activation);
        }
      }
    }
  }
}

export const Conv: OpDef<'Conv'> = { infer: inferConv, run: runConv };
export const DepthwiseConv: OpDef<'DepthwiseConv'> = {
  infer: (node, inputs, layout) => {
    if (layout !== 'NHWC') fail(node, 'LAYOUT', 'depthwise convolutions exist only in NHWC graphs');
    return inferConv(node, inputs, layout);
  },
  run: runConv,
};
