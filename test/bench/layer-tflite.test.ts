// The model benchmark's single layers run in LiteRT.js from a .tflite that bench/models/layer-tflite.ts writes
// out of wasmq's int8 model. That file must carry the same quantization (including the bias scales, which wasmq
// files leave implicit), so LiteRT.js must compute what wasmq computes, within XNNPACK's float requantization.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { convert } from '../../src/convert/convert.js';
import { loadModel } from '../../src/index.js';
import { layerOnnx, type LayerSpec } from '../../bench/models/layers.js';
import { convLayerTflite } from '../../bench/models/layer-tflite.js';
import { createLiteRtPeer } from '../../bench/peers/litert.js';
import { seededInput } from '../../bench/models/contenders.js';

const LAYERS: LayerSpec[] = [
  { name: 'pointwise', h: 6, w: 5, cin: 8, cout: 12, k: 1, stride: 1, depthwise: false },
  { name: 'depthwise s2 (SAME: padding 0/1 on the even side)', h: 7, w: 8, cin: 16, cout: 16, k: 3, stride: 2, depthwise: true },
];

for (const l of LAYERS) {
  test(`${l.name}: LiteRT.js on the exported .tflite agrees with wasmq within one output step`, async () => {
    const conv = await convert(layerOnnx(l), [], { randomCalibration: 4 });
    const bias = conv.model.tensors[conv.model.ops[0].inputs[2]];
    assert.is(bias.quant, undefined, 'the wasmq file leaves the bias scales implicit');
    const x = seededInput(l.h * l.w * l.cin, 5);
    const session = await (await loadModel(conv.bytes)).createSession();
    const ours = (await session.run({ x })).y as Float32Array;
    const peer = await createLiteRtPeer();
    await peer.load(convLayerTflite(conv.model));
    const [theirs] = await peer.run(x, [1, l.h, l.w, l.cin]);
    peer.dispose();
    const out = conv.model.tensors[conv.model.ops[0].outputs[0]];
    const step = out.quant!.scales[0];
    assert.is(theirs.length, ours.length);
    let worst = 0, nonZero = 0;
    for (let i = 0; i < ours.length; i++) {
      worst = Math.max(worst, Math.abs(theirs[i] - ours[i]) / step);
      if (ours[i] !== 0) nonZero++;
    }
    assert.ok(worst <= 1 + 1e-6, `largest difference ${worst.toFixed(2)} steps`);
    assert.ok(nonZero > ours.length / 4, 'the layer output is not trivially zero');
  });
}

test.run();
