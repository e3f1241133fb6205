// LiteRT.js (TFLite + XNNPACK in wasm) as the reference runtime: on the coral photos, both MobileNet v2 models
// must give the top-1 labels of SOURCE.md. That checks the adapter and our image preprocessing (decode, bilinear
// resize to the model's input, uint8 NHWC) end to end.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createLiteRtPeer } from '../../bench/peers/litert.js';
import { exposeTensor } from '../../bench/peers/expose-tensor.js';
import { readTflite } from '../../src/convert/tflite/schema.js';
import { buildTflite } from '../convert/tflite/build-tflite.js';
import { readImageFile } from '../../src/convert/images/node.js';
import { resizeBilinear } from '../../src/convert/images/resize.js';
import { coralDir, CORAL_MODELS, CORAL_PHOTOS } from '../convert/images/coral-data.js';

const argmax = (a: ArrayLike<number>) => {
  let best = 0;
  for (let i = 1; i < a.length; i++) if (a[i] > a[best]) best = i;
  return best;
};

test('LiteRT.js classifies the coral photos: both MobileNet v2 models give the reference labels', async () => {
  const dir = coralDir('peers/litert');
  if (!dir) return;
  const labels = readFileSync(join(dir, 'imagenet_labels.txt'), 'utf8').split('\n');
  assert.is(labels[0], 'background');
  for (const file of CORAL_MODELS) {
    const peer = await createLiteRtPeer();
    await peer.load(new Uint8Array(readFileSync(join(dir, file))));
    const { inputs, outputs } = peer.details();
    assert.is(inputs[0].dtype, 'uint8');
    assert.equal(outputs[0].shape, [1, 1001]);
    const [, h, w] = inputs[0].shape;
    for (const [photo, label] of CORAL_PHOTOS) {
      const img = resizeBilinear(readImageFile(join(dir, photo)), w, h);
      const input = img.data.slice();
      const [out] = await peer.run(img.data, [1, h, w, 3]);
      assert.equal(img.data, input, 'the input is not mutated');
      assert.is(out.length, 1001);
      // uint8 softmax with scale 1/256: the probabilities add up to about 1
      const total = Array.from(out).reduce((a, b) => a + b, 0);
      assert.ok(total > 200 && total < 300, `${file} ${photo}: softmax sums to ${total}/256`);
      if (file.includes('v2')) assert.is(labels[argmax(out)], label, `${file} on ${photo}`);
    }
    peer.dispose();
  }
});

test('a second run of the same input gives the same output (the adapter copies outputs)', async () => {
  const dir = coralDir('peers/litert');
  if (!dir) return;
  const peer = await createLiteRtPeer();
  await peer.load(new Uint8Array(readFileSync(join(dir, 'mobilenet_v1_0.25_128_quant.tflite'))));
  const img = resizeBilinear(readImageFile(join(dir, 'parrot.jpg')), 128, 128);
  const [a] = await peer.run(img.data, [1, 128, 128, 3]);
  const other = resizeBilinear(readImageFile(join(dir, 'cat.bmp')), 128, 128);
  const [c] = await peer.run(other.data, [1, 128, 128, 3]);
  const [b] = await peer.run(img.data, [1, 128, 128, 3]);
  assert.equal(b, a);
  assert.not.equal(c, a);
  peer.dispose();
});

test('exposed int8 intermediates come back exactly (tf2 model: quantized input, softmax before its final QUANTIZE)', async () => {
  const dir = coralDir('peers/litert');
  if (!dir) return;
  const bytes = new Uint8Array(readFileSync(join(dir, 'tf2_mobilenet_v2_1.0_224_ptq.tflite')));
  const g = readTflite(bytes).subgraphs[0];
  const peer = await createLiteRtPeer();
  const img = resizeBilinear(readImageFile(join(dir, 'bird.bmp')), 224, 224);
  await peer.load(bytes);
  const [final] = await peer.run(img.data, [1, 224, 224, 3]);
  // op 0 quantizes the uint8 input (zero point 127) to int8 (zero point -1) with the same scale: q - 128
  const first = exposeTensor(bytes, g.operators[0].outputs[0]);
  await peer.load(first.bytes);
  const q = first.decode((await peer.run(img.data, [1, 224, 224, 3]))[0]);
  assert.equal(Array.from(q), Array.from(img.data, (v) => v - 128));
  // the int8 softmax (zero point -128) feeds a QUANTIZE to uint8 (zero point 0), same scale: final - 128
  const softmax = exposeTensor(bytes, g.operators[g.operators.length - 2].outputs[0]);
  await peer.load(softmax.bytes);
  const s = softmax.decode((await peer.run(img.data, [1, 224, 224, 3]))[0]);
  assert.equal(Array.from(s), Array.from(final, (v) => v - 128));
  peer.dispose();
});

test('a model LiteRT cannot prepare is an error of load(), not a run that returns zeros', async () => {
  // int8 CONCATENATION of inputs whose scale differs from the output's: TFLite's int8 kernel refuses it
  const t = (name: string, shape: number[], type: number, scale: number, zp: number) => ({ name, shape, type, scale: [scale], zeroPoint: [zp] });
  const bytes = buildTflite({
    tensors: [t('in', [1, 4], 3, 0.1, 128), t('q', [1, 4], 9, 0.1, 0), t('cat', [1, 8], 9, 0.3, 0), { name: 'out', shape: [1, 8], type: 0 }],
    ops: [
      { code: 114, inputs: [0], outputs: [1] },
      { code: 2, inputs: [1, 1], outputs: [2], optionsType: 10, options: [[0, 'i32', 1], [1, 'i8', 0]] },
      { code: 6, inputs: [2], outputs: [3] },
    ],
    inputs: [0],
    outputs: [3],
  });
  const peer = await createLiteRtPeer();
  try {
    await peer.load(bytes);
    assert.unreachable('loaded');
  } catch (e) {
    assert.match((e as Error).message, /LiteRT\.js compiling the model failed: .*CONCATENATION/);
  }
  peer.dispose();
});

test.run();
