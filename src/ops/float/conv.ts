// Float32 Conv2D and DepthwiseConv2D on the f32 SIMD kernels: weights (float32, or int8 dequantized) packed
// once, the fused activation as the kernels' clamp, one kernel call per run.
import type { OpImpl, OpOf, PrepareContext, PreparedOp } from '../types.js';
import { expectArity, expectRank, expectShape, weightCost } from '../common.js';
import { CONV_DESCRIPTOR_BYTES, checkDepthwiseGeometry, convGeometry, depthwiseScratchBytes, writeConvDescriptor } from '../../runtime/kernels/dwconv.js';
import { packF32Conv, packF32Depthwise } from '../../runtime/kernels/f32.js';
import { expectFloat, floatBias, floatClamp, floatWeights } from './common.js';

function prepareConv(ctx: PrepareContext, op: OpOf<'Conv2D' | 'DepthwiseConv2D'>, depthwise: boolean): PreparedOp {
  expectArity(ctx, op.inputs, op.outputs, [2, 3]);
  const [x, w] = op.inputs, [y] = op.outputs;
  expectFloat(ctx, x, y);
  const inShape = expectRank(ctx, x, 4);
  const [wo, kH, kW, wi] = expectRank(ctx, w, 4);
  const outC = depthwise ? inShape[3] * (op as OpOf<'DepthwiseConv2D'>).options.depthMultiplier : wo;
  if (depthwise ? wo !== 1 || wi !== outC : wi !== inShape[3]) {
    ctx.fail('BAD_SHAPE', `weights have shape [${ctx.tensor(w).shape}], expected ${depthwise ? `[1, KH, KW, ${outC}]` : `[O, KH, KW, ${inShape[3]}]`}`);
  }
  const g = convGeometry(inShape, kH, kW, outC, op.options, op.kind);
  if (depthwise) checkDepthwiseGeometry(g, op.kind);
  expectShape(ctx, y, [g.batch, g.outH, g.outW, g.outC]);
  const weights = floatWeights(ctx, w, depthwise ? 3 : 0);
  const bias = floatBias(ctx, op.inputs, 2, outC);
  const { min, max } = floatClamp(op.options.activation);
  const kern = ctx.kernels;
  const taps = kH * kW;
  const packedBytes = depthwise ? kern.f32DwconvPackedSize(outC, taps) : kern.f32GemmPackedSize(outC, taps * g.inC);
  const scratchBytes = depthwise
    ? ctx.temp((heap) => depthwiseScratchBytes(kern, heap, g, 4))
    : ctx.temp((heap) => kern.f32ConvScratchSize(writeConvDescriptor(heap, g, undefined, op.kind)));
  return {
    weightBytes: weightCost(CONV_DESCRIPTOR_BYTES) + weightCost(packedBytes),
    scratchBytes,
    pack(packer) {
      const desc = writeConvDescriptor(packer.heap, g, undefined, op.kind);
      if (depthwise) {
        const packed = packF32Depthwise(kern, packer.heap, { weights: weights(), bias, channels: outC, kH, kW }, op.kind);
        return (at) => {
          const src = at.ptr(x), dst = at.ptr(y), scratch = at.scratch;
          return () => kern.f32Dwconv(desc, src, dst, packed, scratch, min, max);
        };
      }
      const packed = packF32Conv(kern, packer.heap, weights(), bias, g, op.kind);
      return (at) => {
        const src = at.ptr(x), dst = at.ptr(y), scratch = at.scratch;
        return () => kern.f32Conv(desc, src, dst, packed, scratch, min, max);
      };
    },
  };
}

export const floatConv2d: OpImpl<'Conv2D'> = { prepare: (ctx, op) => prepareConv(ctx, op, false) };
export const floatDepthwiseConv2d: OpImpl<'DepthwiseConv2D'> = { prepare: (ctx, op) => prepareConv(ctx, op, true) };
