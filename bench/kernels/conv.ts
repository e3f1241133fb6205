// Conv cases: MobileNetV2's pointwise layers (conv() takes the direct-GEMM path), its first layer
// (224x224x3 -> 32, 3x3 stride 2, indirect GEMM), their plain-loop twins, the pointwise layers with the
// requantization skipped (the runner prints the requant share of the fused layer), and the requantization of
// the 56x56x144 output on its own, to compare with the fused pointwise layer that produces it.
import type { KernelExports } from '../../src/runtime/kernel-abi.js';
import type { WasmHeap } from '../../src/runtime/heap.js';
import { prepareConv } from '../../src/runtime/kernels/conv.js';
import { convGeometry, type ConvGeometry, type ConvQuant } from '../../src/runtime/kernels/dwconv.js';
import { prng, randomInt32 } from '../../test/ref/prng.js';
import { POINTWISE_SHAPES, FIRST_CONV_SHAPE, type KernelCase, type Variant } from './case.js';
import { putInt8, putLayerRequant, layerWeights } from './gemm.js';

/** The shape strings the f32 twins use too, so the runner can pair them. */
export const pointwiseShape = (s: { h: number; w: number; cin: number; cout: number }) => `${s.h}x${s.w}:${s.cin}->${s.cout}`;
export const firstConvShape = (s: typeof FIRST_CONV_SHAPE) => `${s.h}x${s.w}:${s.cin}->${s.cout} ${s.kernel}x${s.kernel} s${s.stride}`;

interface ConvCaseShape { h: number; w: number; cin: number; cout: number; kernel: number; stride: number }

function convShape(s: ConvCaseShape): ConvGeometry {
  // TensorFlow 'SAME' padding: for stride 2 on an even size the extra row/column goes at the bottom/right.
  const out = Math.ceil(s.h / s.stride);
  const padTotal = Math.max(0, (out - 1) * s.stride + s.kernel - s.h);
  const before = Math.floor(padTotal / 2);
  return convGeometry([1, s.h, s.w, s.cin], s.kernel, s.kernel, s.cout, {
    strideH: s.stride, strideW: s.stride, dilationH: 1, dilationW: 1,
    padTop: before, padLeft: before, padBottom: padTotal - before, padRight: padTotal - before,
  });
}

// MobileNetV2's expansion layers end in ReLU6 (zero point -128, clamp [-128, 127]); its projection layers
// (linear bottlenecks, e.g. 112x112:32->16) have no ReLU: signed outputs around a zero point, the
// '(no ReLU)' rows.
const QUANT: ConvQuant = { zpIn: -7, zpOut: -128, qmin: -128, qmax: 127 };
const QUANT_NO_RELU: ConvQuant = { zpIn: -7, zpOut: 5, qmin: -128, qmax: 127 };

function convCase(kernel: string, shape: string, s: ConvCaseShape, variant: Variant, quick: boolean, q = QUANT): KernelCase {
  const g = convShape(s);
  const { outH, outW } = g;
  const taps = s.kernel * s.kernel;
  return {
    kernel, shape, variant, quick,
    macs: outH * outW * s.cout * taps * s.cin,
    setup(k: KernelExports, heap: WasmHeap) {
      const { weights, bias } = layerWeights(s.cout, taps * s.cin, 11);
      const input = putInt8(heap, s.h * s.w * s.cin, 12);
      const params = putLayerRequant(k, heap, s.cout, 13);
      const output = heap.alloc(outH * outW * s.cout);
      const p = prepareConv(k, heap, g, q, weights, bias, 0, input);
      if (variant === 'int8-no-requant') {
        // A pointwise conv is conv() handing the input straight to gemm: the same call, requantization skipped.
        if (taps !== 1 || s.stride !== 1) throw new Error('int8-no-requant: pointwise shapes only');
        return () => k.gemmRequantSkippedForBench(outH * outW, s.cout, s.cin, input, s.cin, p.packed, output, s.cout, params, QUANT.zpOut, QUANT.qmin, QUANT.qmax, 0, 0);
      }
      if (variant === 'int8-scalar') {
        const w = heap.put(weights), b = heap.put(bias);
        return () => k.convScalar(p.desc, input, w, b, output, params);
      }
      return () => k.conv(p.desc, input, p.workspace, p.packed, output, params);
    },
  };
}

const REQUANT = POINTWISE_SHAPES[1]; // 56x56:24->144, the layer whose output the requant row requantizes

export const cases: KernelCase[] = [
  ...POINTWISE_SHAPES.flatMap((s) => (['int8-simd', 'int8-no-requant', 'int8-scalar'] as const).map((v) =>
    convCase('pointwise', pointwiseShape(s), { ...s, kernel: 1, stride: 1 }, v, v !== 'int8-scalar' || s === REQUANT))),
  convCase('pointwise', `${pointwiseShape(POINTWISE_SHAPES[0])} (no ReLU)`, { ...POINTWISE_SHAPES[0], kernel: 1, stride: 1 }, 'int8-simd', true, QUANT_NO_RELU),
  ...(['int8-simd', 'int8-scalar'] as const).map((v) => convCase('conv', firstConvShape(FIRST_CONV_SHAPE), FIRST_CONV_SHAPE, v, true)),
  {
    kernel: 'requant', shape: `${REQUANT.h}x${REQUANT.w}x${REQUANT.cout}`, variant: 'int8-simd', quick: true,
    // Not MACs: one "op pair" per requantized value, so gops reads as 2 * values / s.
    macs: REQUANT.h * REQUANT.w * REQUANT.cout,
    setup(k, heap) {
      const rows = REQUANT.h * REQUANT.w, ch = REQUANT.cout;
      const acc = heap.put(randomInt32(prng(21), rows * ch, -300000, 300000));
      const out = heap.alloc(rows * ch), params = putLayerRequant(k, heap, ch, 13);
      return () => k.requantizeRows(acc, out, rows, ch, params, -128, -128, 127);
    },
  },
];

/** The (kernel, shape) of the fused layer the requant row is compared with. */
export const REQUANT_REFERENCE = { kernel: 'pointwise', shape: pointwiseShape(REQUANT) };
