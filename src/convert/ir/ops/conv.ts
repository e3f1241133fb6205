// Conv (grouped, NCHW with OIHW weights or NHWC with OHWI weights) and DepthwiseConv (NHWC, 1HWC weights).
import type { ConvAttrs, Layout } from '../graph.js';
import { activate, fail, need, type InferInput, type OpDef, type Value } from './types.js';
import { nchwDims, shapeFromNCHW, windowOutput } from './spatial.js';

interface ConvGeometry {
  N: number; C: number; H: number; W: number; O: number; KH: number; KW: number; OH: number; OW: number;
  pads: [number, number, number, number];
  /** input channels per group and output channels per group */
  cg: number; og: number;
  /** weight strides of (output channel, input channel within group, kh, kw) */
  ws: [number, number, number, number];
}

function geometry(node: { name: string; op: string; attrs: ConvAttrs & { depthMultiplier?: number } }, x: InferInput, w: InferInput, layout: Layout): ConvGeometry {
  if (x.shape.length !== 4) fail(node, 'UNSUPPORTED_ATTRIBUTE', `only 2D convolutions are supported (input rank ${x.shape.length})`);
  if (w.shape.length !== 4) fail(node, 'SHAPE_MISMATCH', `weights must be rank 4, got [${w.shape}]`);
  const [N, C, H, W] = nchwDims(x.shape, layout);
  const a = node.attrs;
  let O: number, KH: number, KW: number, cg: number, og: number, ws: ConvGeometry['ws'];
  if (node.op === 'DepthwiseConv') {
    // [1, KH, KW, C * m]: output channel o reads input channel floor(o / m)
    [, KH, KW, O] = w.shape;
    const m = node.attrs.depthMultiplier ?? 1;
    if (w.shape[0] !== 1 || O !== C * m) fail(node, 'SHAPE_MISMATCH', `depthwise weights [${w.shape}] do not match ${C} channels x ${m}`);
    cg = 1;
    og = m;
    ws = [1, 0, KW * O, O];
  } else if (layout === 'NCHW') {
    [O, cg, KH, KW] = w.shape;
    og = O / a.group;
    ws = [cg * KH * KW, KH * KW, KW, 1];
  } else {
    [O, KH, KW, cg] = w.shape;
    og = O / a.group;
    ws = [KH * KW * cg, 1, KW * cg, cg];
  }
  if (node.op === 'Conv' && (cg * a.group !== C || !Number.isInteger(og))) {
    fail(node, 'SHAPE_MISMATCH', `weights [${w.shape}] with group ${a.group} do not match ${C} input channels`);
  }
  const { pads, out } = windowOutput({ kernel: [KH, KW], strides: a.strides, dilations: a.dilations, pads: a.pads, autoPad: a.autoPad }, [H, W]);
  if (out[0] < 1 || out[1] < 1) fail(node, 'SHAPE_MISMATCH', `kernel ${KH}x${KW} larger than padded input ${H}x${W}`);
  return { N, C, H, W, O, KH, KW, OH: out[0], OW: out[1], pads, cg, og, ws };
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
  // element strides of (n, c, h, w) in input and output, so one loop serves both layouts without closures
  const strides = (C: number, H: number, W: number): [number, number, number, number] =>
    layout === 'NCHW' ? [C * H * W, H * W, W, 1] : [H * W * C, 1, W * C, C];
  const [xn, xc, xh, xw] = strides(g.C, g.H, g.W), [yn, yc, yh, yw] = strides(g.O, g.OH, g.OW);
  const [wo, wi, wh, ww] = g.ws;
  const xd = x.data, wd = w.data, y = outputs[0].data, act = node.attrs.activation;
  for (let n = 0; n < g.N; n++) {
    for (let o = 0; o < g.O; o++) {
      const xBase = n * xn + Math.floor(o / g.og) * g.cg * xc, wBase = o * wo, bias = b ? b.data[o] : 0;
      for (let oh = 0; oh < g.OH; oh++) {
        for (let ow = 0; ow < g.OW; ow++) {
          let acc = bias;
          for (let kh = 0; kh < g.KH; kh++) {
            const ih = oh * sh - g.pads[0] + kh * dh;
            if (ih < 0 || ih >= g.H) continue;
            for (let kw = 0; kw < g.KW; kw++) {
              const iw = ow * sw - g.pads[1] + kw * dw;
              if (iw < 0 || iw >= g.W) continue;
              let xi = xBase + ih * xh + iw * xw, wj = wBase + kh * wh + kw * ww;
              for (let ci = 0; ci < g.cg; ci++, xi += xc, wj += wi) acc += xd[xi] * wd[wj];
            }
          }
          y[n * yn + o * yc + oh * yh + ow * yw] = activate(acc, act);
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
