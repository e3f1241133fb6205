// The layer-by-layer comparison tool on the int8 MobileNet v2: run alone on LiteRT's own inputs, each of the
// first eleven ops (QUANTIZE, CONV_2D, DEPTHWISE_CONV_2D, ADD) agrees with LiteRT.js within 1 LSB, on a small
// fraction of elements: the end-to-end differences are accumulated rounding, not a wrong layer.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { layerDiffs } from '../../bench/peers/tflite-divergence.js';
import { readImageFile } from '../../src/convert/images/node.js';
import { resizeBilinear } from '../../src/convert/images/resize.js';
import { coralDir } from '../convert/images/coral-data.js';

test('isolated, every early op of the int8 MobileNet v2 is within 1 LSB of LiteRT.js', async () => {
  const dir = coralDir('peers/divergence');
  if (!dir) return;
  const bytes = new Uint8Array(readFileSync(join(dir, 'tf2_mobilenet_v2_1.0_224_ptq.tflite')));
  const img = resizeBilinear(readImageFile(join(dir, 'cat.bmp')), 224, 224);
  const diffs = await layerDiffs(bytes, img.data, { isolated: true, all: true, ops: 11 });
  assert.equal(diffs.map((d) => d.builtin), ['QUANTIZE', 'CONV_2D', 'DEPTHWISE_CONV_2D', 'CONV_2D', 'CONV_2D', 'DEPTHWISE_CONV_2D', 'CONV_2D', 'CONV_2D', 'DEPTHWISE_CONV_2D', 'CONV_2D', 'ADD']);
  assert.is(diffs[0].maxDiff, 0, 'QUANTIZE is exact');
  for (const d of diffs) {
    assert.ok(d.maxDiff <= 1, `op ${d.op} ${d.builtin}: ${d.maxDiff} LSB`);
    assert.ok(d.differing <= d.elements * 0.05, `op ${d.op} ${d.builtin}: ${d.differing} of ${d.elements} differ`);
  }
  // chained, the same ops drift further apart: the isolation is what localizes a disagreement
  const chained = await layerDiffs(bytes, img.data, { all: true, ops: 5 });
  assert.ok(chained[4].maxDiff > diffs[4].maxDiff, `chained op 4 differs by ${chained[4].maxDiff} LSB`);
});

test.run();
