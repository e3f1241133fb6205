import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { activationParams, quantizeWeights, quantizeBias, roundHalfAway } from '../../src/quant/affine.js';
import { prng } from '../ref/prng.js';

test('real zero is exactly representable for every activation range', () => {
  const r = prng(9);
  for (let i = 0; i < 2000; i++) {
    const a = r.normal() * 10, b = r.normal() * 10;
    const { scale, zeroPoint } = activationParams(Math.min(a, b), Math.max(a, b));
    assert.ok(Number.isInteger(zeroPoint) && zeroPoint >= -128 && zeroPoint <= 127);
    assert.ok(scale > 0);
    // the range's ends map inside [-128, 127] within rounding
    assert.ok((Math.min(a, b, 0)) / scale + zeroPoint >= -128.5 - 1e-6);
    assert.ok((Math.max(a, b, 0)) / scale + zeroPoint <= 127.5 + 1e-6);
  }
});

test('a ReLU range [0, 6] uses the whole int8 range with zero point -128', () => {
  assert.equal(activationParams(0, 6), { scale: 6 / 255, zeroPoint: -128 });
  assert.equal(activationParams(2, 6), { scale: 6 / 255, zeroPoint: -128 }, 'widened to include 0');
  assert.equal(activationParams(0, 6, 'uint8'), { scale: 6 / 255, zeroPoint: 0 });
});

test('per-channel weights map each channel\'s largest magnitude to +-127 and never to -128', () => {
  const w = new Float32Array([0.5, -1, 0.25, /* ch1 */ 4, 2, -4]);
  const { data, scales } = quantizeWeights(w, 2);
  assert.equal(Array.from(data), [64, -127, 32, 127, 64, -127]);
  assert.equal(Array.from(scales), [Math.fround(1 / 127), Math.fround(4 / 127)]);
  const t = quantizeWeights(w, 2, { perChannel: false });
  assert.equal(Array.from(t.scales), [Math.fround(4 / 127), Math.fround(4 / 127)]);
  assert.equal(Array.from(t.data.subarray(0, 3)), [16, -32, 8]);
});

test('depthwise weights (channel last) are scaled per channel', () => {
  const w = new Float32Array([1, 10, -0.5, 5]); // [H*W=2, C=2]
  const { data, scales } = quantizeWeights(w, 2, { channelAxisLast: true });
  assert.equal(Array.from(data), [127, 127, -64, 64]);
  assert.ok(Math.abs(scales[1] - 10 / 127) < 1e-7);
});

test('biases use scale s_in * s_w and saturate at the int32 limits', () => {
  assert.equal(Array.from(quantizeBias([1, -1, 1e12], 0.5, [0.1, 0.2, 0.1])), [20, -10, 2147483647]);
  assert.is(roundHalfAway(-2.5), -3);
  assert.is(roundHalfAway(2.5), 3);
});

test.run();
