// TensorFlow.js with its WebAssembly backend (XNNPACK, SIMD, 1 thread), float32. The network is built from
// tfjs's fused ops (conv + bias + activation in one kernel), as a converted graph model runs: the tf.layers
// path is about 3x slower and would not be a fair peer.
import * as tf from '@tensorflow/tfjs-core';
import { setWasmPaths, setThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import { createRequire } from 'node:module';
import path from 'node:path';
import { mobilenetV2, seededWeights, type Layer } from '../models/mobilenetv2.js';

let ready: Promise<void> | undefined;

/** Selects the wasm backend with one thread (once per process). */
export function initTfjsWasm(): Promise<void> {
  ready ??= (async () => {
    const require = createRequire(import.meta.url);
    setWasmPaths(path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')) + '/dist/');
    setThreadsCount(1);
    if (!(await tf.setBackend('wasm'))) throw new Error('tfjs: the wasm backend failed to initialise');
    await tf.ready();
  })();
  return ready;
}

type Built = { layer: Layer; w?: tf.Tensor; b?: tf.Tensor };

/** MobileNetV2 from fused tfjs ops with seeded weights; returns the forward function. */
export async function tfjsMobileNetV2(): Promise<{ run(x: Float32Array): Promise<Float32Array>; dispose(): void }> {
  await initTfjsWasm();
  const built: Built[] = mobilenetV2().map((layer, i) => {
    if (layer.kind === 'conv') {
      return { layer, w: tf.tensor4d(seededWeights(i, layer.k * layer.k * layer.cin * layer.cout, layer.k * layer.k * layer.cin), [layer.k, layer.k, layer.cin, layer.cout]), b: tf.zeros([layer.cout]) };
    }
    if (layer.kind === 'dwconv') {
      return { layer, w: tf.tensor4d(seededWeights(i, layer.k * layer.k * layer.c, layer.k * layer.k), [layer.k, layer.k, layer.c, 1]), b: tf.zeros([layer.c]) };
    }
    if (layer.kind === 'fc') return { layer, w: tf.tensor2d(seededWeights(i, layer.cin * layer.cout, layer.cin), [layer.cin, layer.cout]), b: tf.zeros([layer.cout]) };
    return { layer };
  });
  const forward = (x: tf.Tensor4D): tf.Tensor => {
    const outs: tf.Tensor[] = [];
    let h: tf.Tensor = x;
    for (const { layer, w, b } of built) {
      const act = 'act' in layer && layer.act === 'relu6' ? 'relu6' : 'linear';
      if (layer.kind === 'conv') {
        h = tf.fused.conv2d({ x: h as tf.Tensor4D, filter: w as tf.Tensor4D, strides: layer.stride, pad: 'same', bias: b, activation: act });
        if (layer.residual !== undefined) h = tf.add(h, outs[layer.residual]);
      } else if (layer.kind === 'dwconv') {
        h = tf.fused.depthwiseConv2d({ x: h as tf.Tensor4D, filter: w as tf.Tensor4D, strides: layer.stride, pad: 'same', bias: b, activation: act });
      } else if (layer.kind === 'gap') {
        h = tf.mean(h, [1, 2]);
      } else {
        h = tf.fused.matMul({ a: h as tf.Tensor2D, b: w as tf.Tensor2D, bias: b });
      }
      outs.push(h);
    }
    return h;
  };
  return {
    async run(input: Float32Array) {
      const x = tf.tensor4d(input, [1, 224, 224, 3]);
      const y = tf.tidy(() => forward(x));
      const data = (await y.data()) as Float32Array;
      x.dispose();
      y.dispose();
      return data;
    },
    dispose() {
      for (const { w, b } of built) { w?.dispose(); b?.dispose(); }
    },
  };
}
