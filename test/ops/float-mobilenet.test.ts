// The coral MobileNets rewritten as weight-only float models (test/ops/weight-only.ts) and run on the float
// path: the same top-1 class as the int8 model on every coral photo (and SOURCE.md's label for the v2
// models), probabilities within 0.05 of the int8 ones for the v2 models (measured: at most 0.027) and 0.1 for
// the small v1 0.25 (measured: 0.063), whose int8 activations are coarser.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadModel } from '../../src/index.js';
import { importTflite } from '../../src/convert/tflite/import.js';
import { readImageFile } from '../../src/convert/images/node.js';
import { resizeBilinear } from '../../src/convert/images/resize.js';
import { coralDir, CORAL_MODELS, CORAL_PHOTOS } from '../convert/images/coral-data.js';
import { toWeightOnly } from './weight-only.js';

const argmax = (a: ArrayLike<number>): number => {
  let best = 0;
  for (let i = 1; i < a.length; i++) if (a[i] > a[best]) best = i;
  return best;
};

test('weight-only float MobileNets agree with their int8 originals on the coral photos', async () => {
  const dir = coralDir('ops/float-mobilenet');
  if (!dir) return;
  const labels = readFileSync(join(dir, 'imagenet_labels.txt'), 'utf8').split('\n');
  for (const file of CORAL_MODELS) {
    const quantized = importTflite(new Uint8Array(readFileSync(join(dir, file))), { source: file });
    const float = toWeightOnly(quantized);
    assert.ok(float.tensors.some((t) => t.dtype === 'int8' && t.buffer !== undefined) || !file.includes('ptq'), `${file}: int8 weights kept`);
    const q = (await loadModel(quantized)).createSessionSync(), f = (await loadModel(float)).createSessionSync();
    const input = quantized.tensors[quantized.inputs[0]];
    const [, h, w] = input.shape;
    const { scales, zeroPoints } = input.quant!;
    for (const [photo, label] of CORAL_PHOTOS) {
      const pixels = resizeBilinear(readImageFile(join(dir, photo)), w, h).data;
      const pq = Object.values(await q.run({ [input.name]: pixels }))[0];
      const real = Float32Array.from(pixels, (v) => scales[0] * (v - zeroPoints[0]));
      const pf = Object.values(await f.run({ [float.tensors[float.inputs[0]].name]: real }))[0];
      const where = `${file} on ${photo}`;
      assert.is(labels[argmax(pf)], labels[argmax(pq)], `${where}: top-1`);
      if (file.includes('v2')) assert.is(labels[argmax(pf)], label, `${where}: SOURCE.md label`);
      let worst = 0;
      for (let i = 0; i < pq.length; i++) worst = Math.max(worst, Math.abs(pq[i] - pf[i]));
      const allowed = file.includes('v2') ? 0.05 : 0.1;
      assert.ok(worst <= allowed && worst > 0, `${where}: probabilities differ by ${worst} (allowed ${allowed})`);
    }
  }
});

test.run();
