// Two single MobileNetV2 layers in every runtime that runs a one-layer model easily, to show where time goes:
// pointwise 1x1 conv 56x56x24 -> 144 + relu6, and depthwise 3x3 stride 2 on 56x56x144 + relu6. Built as float
// ONNX (NCHW), quantized by wasmq (random calibration), exported as QDQ for onnxruntime's int8 path and as a
// .tflite (layer-tflite.ts) for LiteRT.js; float32 in wasmq's float twin, onnxruntime and tfjs (fused op).
import * as tf from '@tensorflow/tfjs-core';
import { OnnxBuilder } from '../../src/convert/onnx/builder.js';
import { convert } from '../../src/convert/convert.js';
import { writeModel } from '../../src/format/write.js';
import { exportOnnx } from '../../src/convert/onnx/export.js';
import { initTfjsWasm } from '../peers/tfjs.js';
import { createLiteRtPeer } from '../peers/litert.js';
import { convLayerTflite } from './layer-tflite.js';
import { seededWeights } from './mobilenetv2.js';
import { seededInput, nhwcToNchw, ortContender, wasmqContender, type Contender } from './contenders.js';
import { measureInterleaved, summarize, type Stats } from './measure.js';

export interface LayerSpec { name: string; h: number; w: number; cin: number; cout: number; k: number; stride: number; depthwise: boolean }

export const LAYERS: LayerSpec[] = [
  { name: 'pointwise 56x56x24->144', h: 56, w: 56, cin: 24, cout: 144, k: 1, stride: 1, depthwise: false },
  { name: 'depthwise 3x3 56x56x144 s2', h: 56, w: 56, cin: 144, cout: 144, k: 3, stride: 2, depthwise: true },
];

export interface LayerRow extends Stats {
  layer: string;
  runtime: string;
  precision: string;
  /** per sample: calls averaged in one timed sample */
  repeat: number;
  gops: number;
}

const macsOf = (l: LayerSpec) => Math.ceil(l.h / l.stride) * Math.ceil(l.w / l.stride) * l.cout * l.k * l.k * (l.depthwise ? 1 : l.cin);

/** The layer as float ONNX (NCHW): conv with bias, then Clip(0, 6). */
export function layerOnnx(l: LayerSpec): Uint8Array {
  const b = new OnnxBuilder({ opset: 13, producer: 'wasmq bench' });
  const wIn = l.depthwise ? 1 : l.cin;
  // TensorFlow's SAME padding (the extra row/column at the end), as the .tflite twin of the layer has it
  const same = (n: number) => {
    const total = Math.max(0, (Math.ceil(n / l.stride) - 1) * l.stride + l.k - n);
    return [total >> 1, total - (total >> 1)];
  };
  const [top, bottom] = same(l.h), [left, right] = same(l.w);
  b.input('x', [1, l.cin, l.h, l.w]);
  b.initializer('w', [l.cout, wIn, l.k, l.k], seededWeights(1, l.cout * wIn * l.k * l.k, wIn * l.k * l.k));
  b.initializer('b', [l.cout], new Float32Array(l.cout).map((_, c) => 0.01 * ((c % 7) - 3)));
  b.initializer('zero', [], [0]).initializer('six', [], [6]);
  b.node('Conv', ['x', 'w', 'b'], ['c'], { kernel_shape: [l.k, l.k], strides: [l.stride, l.stride], pads: [top, left, bottom, right], group: l.depthwise ? l.cin : 1 });
  b.node('Clip', ['c', 'zero', 'six'], ['y']);
  b.output('y');
  return b.toBytes();
}

async function tfjsLayer(l: LayerSpec, x: Float32Array): Promise<Contender> {
  await initTfjsWasm();
  const input = tf.tensor4d(x, [1, l.h, l.w, l.cin]);
  const w = l.depthwise
    ? tf.tensor4d(seededWeights(1, l.k * l.k * l.cin, l.k * l.k), [l.k, l.k, l.cin, 1])
    : tf.tensor4d(seededWeights(1, l.k * l.k * l.cin * l.cout, l.k * l.k * l.cin), [l.k, l.k, l.cin, l.cout]);
  const bias = tf.zeros([l.cout]);
  const run = async () => {
    const y = l.depthwise
      ? tf.fused.depthwiseConv2d({ x: input, filter: w as tf.Tensor4D, strides: l.stride, pad: 'same', bias, activation: 'relu6' })
      : tf.fused.conv2d({ x: input, filter: w as tf.Tensor4D, strides: l.stride, pad: 'same', bias, activation: 'relu6' });
    await y.data();
    y.dispose();
  };
  return { runtime: 'tfjs-wasm', precision: 'float32', model: l.name, threads: 1, load_ms: 0, wasm_bytes: 0, model_bytes: 0, run, dispose: () => tf.dispose([input, w, bias]) };
}

export async function benchLayers(opts: { rounds: number; quick: boolean }): Promise<LayerRow[]> {
  const rows: LayerRow[] = [];
  for (const l of LAYERS) {
    const nhwc = seededInput(l.h * l.w * l.cin, 3);
    const nchw = nhwcToNchw(nhwc, l.h, l.w, l.cin);
    const onnx = layerOnnx(l);
    const conv = await convert(onnx, [], { randomCalibration: 4 });
    const qdq = exportOnnx(conv.model);
    const shape = [1, l.cin, l.h, l.w];
    const meta = (precision: 'int8' | 'float32') => ({ precision, model: l.name });
    const list: Contender[] = [
      // int8 in, int8 out (raw): the layer inside an int8 network
      await wasmqContender(conv.bytes, Int8Array.from(nhwc, (v) => Math.round(v * 100)), meta('int8'), { raw: true }),
      // float in, float out: plus quantizing the input and dequantizing the output in JavaScript at the edges
      await wasmqContender(conv.bytes, nhwc, { ...meta('int8'), runtime: 'wasmq (float I/O)' }),
      await wasmqContender(writeModel(conv.floatModel), nhwc, meta('float32')),
      await ortContender('web', qdq, nchw, meta('int8'), shape),
      await ortContender('web', onnx, nchw, meta('float32'), shape),
      await ortContender('node', qdq, nchw, meta('int8'), shape),
      await ortContender('node', onnx, nchw, meta('float32'), shape),
      await tfjsLayer(l, nhwc),
    ];
    try {
      const peer = await createLiteRtPeer();
      await peer.load(convLayerTflite(conv.model));
      list.push({ runtime: 'LiteRT.js', ...meta('int8'), threads: 1, load_ms: 0, wasm_bytes: 0, model_bytes: 0, run: () => peer.run(nhwc, [1, l.h, l.w, l.cin]), dispose: () => peer.dispose() });
    } catch (e) {
      console.log(`  SKIPPED LiteRT.js on ${l.name}: ${(e as Error).message}`);
    }
    const samples = await measureInterleaved(list, { rounds: opts.rounds, warmupRuns: 10, warmupMs: opts.quick ? 200 : 1000, sampleMs: 5 });
    list.forEach((c, k) => {
      const s = summarize(samples.wall[k]);
      rows.push({ layer: l.name, runtime: c.runtime, precision: c.precision, repeat: c.repeat ?? 1, ...s, gops: (2 * macsOf(l)) / s.median_ms / 1e6 });
    });
    for (const c of list) await c.dispose?.();
  }
  return rows;
}

export function layersText(rows: LayerRow[]): string {
  const lines = [`single layers (median ms per call, interleaved; GOP/s = 2 x MACs / median):`];
  for (const r of rows) lines.push(`  ${r.layer.padEnd(28)}${r.runtime.padEnd(18)}${r.precision.padEnd(9)}${r.median_ms.toFixed(3).padStart(8)} ms  p10 ${r.p10_ms.toFixed(3)}  p90 ${r.p90_ms.toFixed(3)}${r.gops.toFixed(1).padStart(8)} GOP/s`);
  return lines.join('\n');
}
