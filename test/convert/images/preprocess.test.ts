import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { resizeBilinear, centerCrop } from '../../../src/convert/images/resize.js';
import { toFloatTensor, toGrayscale, toQuantizedTensor } from '../../../src/convert/images/tensor.js';
import { ImageError } from '../../../src/convert/images/errors.js';
import type { Image } from '../../../src/convert/images/image.js';

const gray = (w: number, h: number, v: number[]): Image => ({ width: w, height: h, channels: 1, data: Uint8Array.from(v) });

test('bilinear 2x2 -> 4x4 with half-pixel centers matches the hand computation', () => {
  // rows [0, 100] and [200, 40]; source x for outputs 0..3 is -0.25, 0.25, 0.75, 1.25 (edges clamp)
  // row 0 -> [0, 25, 75, 100], row 1 -> [200, 160, 80, 40]; output rows mix them 1:0, .75:.25, .25:.75, 0:1
  const out = resizeBilinear(gray(2, 2, [0, 100, 200, 40]), 4, 4);
  assert.equal(Array.from(out.data), [
    0, 25, 75, 100,
    50, 59, 76, 85, // 58.75 -> 59, 76.25 -> 76
    150, 126, 79, 55, // 126.25 -> 126, 78.75 -> 79
    200, 160, 80, 40,
  ]);
});

test('legacy convention (half_pixel_centers=false) samples at x * in / out', () => {
  const out = resizeBilinear(gray(2, 1, [0, 100]), 4, 1, { halfPixelCenters: false });
  assert.equal(Array.from(out.data), [0, 50, 100, 100]);
});

test('halving with half-pixel centers averages pixel pairs; same size is the identity', () => {
  const img = gray(4, 2, [10, 20, 31, 41, 50, 60, 70, 80]);
  assert.equal(Array.from(resizeBilinear(img, 2, 1).data), [35, 56]); // (10+20+50+60)/4, (31+41+70+80)/4 = 55.5
  const rgb: Image = { width: 3, height: 2, channels: 3, data: Uint8Array.from({ length: 18 }, (_, i) => i * 13) };
  assert.equal(resizeBilinear(rgb, 3, 2).data, rgb.data);
});

test('center crop takes the middle window, extra pixel at bottom/right', () => {
  const img = gray(5, 3, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14]);
  assert.equal(Array.from(centerCrop(img, { width: 2, height: 2 }).data), [1, 2, 6, 7]);
  assert.equal(Array.from(centerCrop(img, { width: 3, height: 1 }).data), [6, 7, 8]);
  const c = centerCrop(gray(8, 8, new Array(64).fill(0).map((_, i) => i)), { fraction: 0.5 });
  assert.equal([c.width, c.height, c.data[0]], [4, 4, 18]);
  assert.throws(() => centerCrop(img, { width: 6, height: 1 }), (e: unknown) => e instanceof ImageError && e.code === 'BAD_IMAGE');
});

test('float tensors apply (v * pixelScale - mean) / std per channel in NHWC and NCHW', () => {
  const img: Image = { width: 2, height: 1, channels: 3, data: Uint8Array.from([0, 51, 255, 102, 153, 204]) };
  const opts = { mean: [0.5, 0, 1], std: [0.5, 1, 2], pixelScale: 1 / 255 };
  const nhwc = toFloatTensor(img, opts);
  assert.equal(nhwc.shape, [1, 1, 2, 3]);
  const expect = [(0 - 0.5) / 0.5, 0.2, 0, (0.4 - 0.5) / 0.5, 0.6, (0.8 - 1) / 2];
  nhwc.data.forEach((v, i) => assert.ok(Math.abs(v - expect[i]) < 1e-6, `nhwc ${i}: ${v} vs ${expect[i]}`));
  const nchw = toFloatTensor(img, { ...opts, layout: 'NCHW' });
  assert.equal(nchw.shape, [1, 3, 1, 2]);
  const order = [0, 3, 1, 4, 2, 5];
  nchw.data.forEach((v, i) => assert.ok(Math.abs(v - expect[order[i]]) < 1e-6, `nchw ${i}`));
  assert.throws(() => toFloatTensor(img, { mean: [1, 2] }), (e: unknown) => e instanceof ImageError);
  assert.throws(() => toFloatTensor(img, { std: [0] }), (e: unknown) => e instanceof ImageError);
});

test('grayscale uses BT.601 weights; quantized tensors are the bytes (uint8) or bytes - 128 (int8)', () => {
  const img: Image = { width: 3, height: 1, channels: 3, data: Uint8Array.from([255, 0, 0, 0, 255, 0, 10, 20, 30]) };
  assert.equal(Array.from(toGrayscale(img).data), [76, 150, Math.round(0.2989 * 10 + 0.587 * 20 + 0.114 * 30)]);
  const q = toQuantizedTensor(img, 'int8');
  assert.equal(q.shape, [1, 1, 3, 3]);
  assert.equal(Array.from(q.data.subarray(0, 3)), [127, -128, -128]);
  const u = toQuantizedTensor(img, 'uint8');
  assert.equal(Array.from(u.data), Array.from(img.data));
  assert.is.not(u.data, img.data, 'a copy, not the image buffer');
});

test.run();
