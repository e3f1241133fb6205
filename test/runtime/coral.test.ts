// The coral MobileNets, imported from .tflite and run by wasmq, against LiteRT.js (TFLite + XNNPACK) on the
// coral photos: the same top-1 class on every photo (and SOURCE.md's labels for the v2 models), and uint8
// probabilities within a few 1/256 steps. Not byte-exact: XNNPACK requantizes in fp32 where wasmq follows
// TFLite's fixed-point reference arithmetic (measured: at most 9 steps apart).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadModel } from '../../src/index.js';
import { writeModel } from '../../src/format/write.js';
import { importTflite } from '../../src/convert/tflite/import.js';
import { createLiteRtPeer } from '../../bench/peers/litert.js';
import { readImageFile } from '../../src/convert/images/node.js';
import { resizeBilinear } from '../../src/convert/images/resize.js';
import { coralDir, CORAL_MODELS, CORAL_PHOTOS } from '../convert/images/coral-data.js';

const MAX_STEPS = 16;

const argmax = (a: ArrayLike<number>): number => {
  let best = 0;
  for (let i = 1; i < a.length; i++) if (a[i] > a[best]) best = i;
  return best;
};

test('wasmq agrees with LiteRT.js on the coral MobileNets and photos', async () => {
  const dir = coralDir('runtime/coral');
  if (!dir) return;
  const labels = readFileSync(join(dir, 'imagenet_labels.txt'), 'utf8').split('\n');
  for (const file of CORAL_MODELS) {
    const bytes = new Uint8Array(readFileSync(join(dir, file)));
    const model = await loadModel(writeModel(importTflite(bytes, { source: file })));
    const session = await model.createSession();
    const input = model.info.inputs[0], output = model.info.outputs[0];
    assert.is(input.dtype, 'uint8');
    const [, h, w] = input.shape;
    const peer = await createLiteRtPeer();
    await peer.load(bytes);
    for (const [photo, label] of CORAL_PHOTOS) {
      const img = resizeBilinear(readImageFile(join(dir, photo)), w, h);
      const [want] = await peer.run(img.data, [1, h, w, 3]);
      const got = (await session.run({ [input.name]: img.data }, { raw: true }))[output.name];
      assert.instance(got, Uint8Array);
      const where = `${file} on ${photo}`;
      assert.is(labels[argmax(got)], labels[argmax(want)], `${where}: top-1`);
      if (file.includes('v2')) assert.is(labels[argmax(got)], label, `${where}: SOURCE.md label`);
      let worst = 0;
      for (let i = 0; i < got.length; i++) worst = Math.max(worst, Math.abs(got[i] - want[i]));
      assert.ok(worst <= MAX_STEPS, `${where}: probabilities differ by ${worst}/256`);
    }
    peer.dispose();
  }
});

test.run();
