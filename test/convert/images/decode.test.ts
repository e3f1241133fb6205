import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import jpeg from 'jpeg-js';
import pngjs from 'pngjs';
import { decodeImage } from '../../../src/convert/images/decode.js';
import { readImageFile } from '../../../src/convert/images/node.js';
import { ImageError } from '../../../src/convert/images/errors.js';
import { prng } from '../../ref/prng.js';
import { coralDir, CORAL_PHOTOS } from './coral-data.js';

/** A BMP written from the format's definition: bottom-up rows padded to 4 bytes, BGR(A) order. */
function encodeBmp(w: number, h: number, rgb: Uint8Array, opts: { bpp: 24 | 32 | 8; headerSize?: number; topDown?: boolean; palette?: Uint8Array }): Uint8Array {
  const headerSize = opts.headerSize ?? 40;
  const bitfields = opts.bpp === 32;
  const paletteBytes = opts.bpp === 8 ? 256 * 4 : 0;
  const masks = bitfields && headerSize === 40 ? 12 : 0;
  const offset = 14 + headerSize + masks + paletteBytes;
  const rowBytes = Math.ceil((w * opts.bpp) / 32) * 4;
  const out = new Uint8Array(offset + rowBytes * h);
  const dv = new DataView(out.buffer);
  out[0] = 0x42; out[1] = 0x4d;
  dv.setUint32(2, out.length, true); dv.setUint32(10, offset, true); dv.setUint32(14, headerSize, true);
  dv.setInt32(18, w, true); dv.setInt32(22, opts.topDown ? -h : h, true);
  dv.setUint16(26, 1, true); dv.setUint16(28, opts.bpp, true); dv.setUint32(30, bitfields ? 3 : 0, true);
  if (bitfields) { dv.setUint32(54, 0xff0000, true); dv.setUint32(58, 0xff00, true); dv.setUint32(62, 0xff, true); }
  if (opts.bpp === 8) out.set(opts.palette!, 14 + headerSize);
  for (let y = 0; y < h; y++) {
    const row = offset + (opts.topDown ? y : h - 1 - y) * rowBytes;
    for (let x = 0; x < w; x++) {
      const [r, g, b] = rgb.subarray((y * w + x) * 3, (y * w + x) * 3 + 3);
      if (opts.bpp === 24) out.set([b, g, r], row + x * 3);
      else if (opts.bpp === 32) out.set([b, g, r, 255], row + x * 4);
      else out[row + x] = r; // palette test: index = red
    }
  }
  return out;
}

function randomRgb(seed: number, n: number): Uint8Array {
  const r = prng(seed), a = new Uint8Array(n * 3);
  for (let i = 0; i < a.length; i++) a[i] = r.int(0, 255);
  return a;
}

test('BMP round-trips exactly for 24-bit (40- and 124-byte headers, odd widths, top-down) and 32-bit bit-field images', () => {
  for (const [w, h] of [[1, 1], [3, 2], [5, 7], [8, 3]]) {
    const rgb = randomRgb(w * 31 + h, w * h);
    for (const opts of [{ bpp: 24 as const }, { bpp: 24 as const, headerSize: 124 }, { bpp: 24 as const, topDown: true }, { bpp: 32 as const }, { bpp: 32 as const, headerSize: 124 }]) {
      const img = decodeImage(encodeBmp(w, h, rgb, opts), 'made.bmp');
      assert.equal([img.width, img.height, img.channels], [w, h, 3]);
      assert.equal(Array.from(img.data), Array.from(rgb), `${w}x${h} ${JSON.stringify(opts)}`);
    }
  }
});

test('8-bit palette BMP maps indices through the BGRX palette', () => {
  const palette = new Uint8Array(1024);
  for (let i = 0; i < 256; i++) palette.set([i ^ 0x55, 255 - i, i, 0], i * 4); // B, G, R
  const rgb = randomRgb(3, 6 * 5);
  const img = decodeImage(encodeBmp(6, 5, rgb, { bpp: 8, palette }), 'pal.bmp');
  for (let i = 0; i < 30; i++) {
    const idx = rgb[i * 3];
    assert.equal(Array.from(img.data.subarray(i * 3, i * 3 + 3)), [idx, 255 - idx, idx ^ 0x55]);
  }
});

test('PNG made with pngjs decodes to its RGB values, alpha dropped', () => {
  const w = 7, h = 4, r = prng(5);
  const png = new pngjs.PNG({ width: w, height: h });
  for (let i = 0; i < png.data.length; i++) png.data[i] = r.int(0, 255);
  const bytes = pngjs.PNG.sync.write(png);
  const img = decodeImage(new Uint8Array(bytes), 'made.png');
  assert.equal([img.width, img.height, img.channels], [w, h, 3]);
  for (let i = 0; i < w * h; i++) assert.equal(Array.from(img.data.subarray(3 * i, 3 * i + 3)), Array.from(png.data.subarray(4 * i, 4 * i + 3)));
});

test('JPEG of a smooth image decodes close to its source (lossy, quality 100)', () => {
  const w = 16, h = 16, rgba = new Uint8Array(w * h * 4);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) rgba.set([x * 16, y * 16, 128, 255], (y * w + x) * 4);
  const bytes = jpeg.encode({ width: w, height: h, data: rgba }, 100).data;
  const img = decodeImage(new Uint8Array(bytes), 'made.jpg');
  assert.equal([img.width, img.height], [w, h]);
  let worst = 0;
  for (let i = 0; i < w * h; i++) for (let k = 0; k < 3; k++) worst = Math.max(worst, Math.abs(img.data[3 * i + k] - rgba[4 * i + k]));
  assert.ok(worst <= 6, `max error ${worst}`);
});

test('the coral photos decode with their header dimensions', () => {
  const dir = coralDir('images/decode coral photos');
  if (!dir) return;
  for (const [file] of CORAL_PHOTOS) {
    const img = readImageFile(join(dir, file));
    assert.ok(img.width >= 200 && img.height >= 200 && img.channels === 3, file);
    assert.is(img.data.length, img.width * img.height * 3);
    // photos, not a blank or shifted buffer: a real spread of values in every channel
    for (let k = 0; k < 3; k++) {
      let lo = 255, hi = 0;
      for (let i = k; i < img.data.length; i += 3) { lo = Math.min(lo, img.data[i]); hi = Math.max(hi, img.data[i]); }
      assert.ok(hi - lo > 100, `${file} channel ${k} spans ${lo}..${hi}`);
    }
  }
  const cat = readImageFile(join(dir, 'cat.bmp'));
  assert.equal([cat.width, cat.height], [512, 341]);
});

function expectBadImage(fn: () => unknown, name: string, what: string): void {
  try {
    fn();
  } catch (e) {
    assert.instance(e, ImageError, what);
    assert.is((e as ImageError).code, 'BAD_IMAGE', what);
    assert.ok((e as Error).message.includes(name), `${what}: message names ${name}: ${(e as Error).message}`);
    return;
  }
  assert.unreachable(`${what}: no error`);
}

test('unreadable or unsupported bytes give BAD_IMAGE naming the source, never a crash', () => {
  const rgb = randomRgb(1, 9 * 9);
  const bmp = encodeBmp(9, 9, rgb, { bpp: 24 });
  const png = new Uint8Array(pngjs.PNG.sync.write(Object.assign(new pngjs.PNG({ width: 9, height: 9 }), {})));
  const rgba = new Uint8Array(9 * 9 * 4).fill(200);
  const jpg = new Uint8Array(jpeg.encode({ width: 9, height: 9, data: rgba }, 90).data);
  expectBadImage(() => decodeImage(new Uint8Array(0), 'empty.bin'), 'empty.bin', 'empty');
  expectBadImage(() => decodeImage(new TextEncoder().encode('GIF89a....'), 'a.gif'), 'a.gif', 'gif');
  for (const [bytes, name] of [[bmp, 'x.bmp'], [png, 'x.png'], [jpg, 'x.jpg']] as const) {
    for (const cut of [2, 10, 30, 60, Math.floor(bytes.length / 2), bytes.length - 3]) {
      expectBadImage(() => decodeImage(bytes.slice(0, cut), name), name, `${name} cut to ${cut}`);
    }
  }
  // a header that claims a huge image is refused before any allocation
  const huge = png.slice(); new DataView(huge.buffer).setUint32(16, 100000); new DataView(huge.buffer).setUint32(20, 100000);
  expectBadImage(() => decodeImage(huge, 'huge.png'), 'huge.png', 'huge png');
  const hugeBmp = bmp.slice(); new DataView(hugeBmp.buffer).setInt32(18, 1 << 30, true);
  expectBadImage(() => decodeImage(hugeBmp, 'huge.bmp'), 'huge.bmp', 'huge bmp');
  expectBadImage(() => readImageFile('/nonexistent/dir/photo.png'), 'photo.png', 'missing file');
});

test('random mutations of valid images give either an image or BAD_IMAGE', () => {
  const r = prng(77);
  const sources = [
    encodeBmp(6, 5, randomRgb(2, 30), { bpp: 24, headerSize: 124 }),
    new Uint8Array(pngjs.PNG.sync.write(new pngjs.PNG({ width: 6, height: 5 }))),
    new Uint8Array(jpeg.encode({ width: 6, height: 5, data: new Uint8Array(120).fill(90) }, 80).data),
  ];
  for (let i = 0; i < 600; i++) {
    const m = sources[i % 3].slice();
    for (let k = r.int(1, 4); k > 0; k--) m[r.int(0, m.length - 1)] = r.int(0, 255);
    try {
      const img = decodeImage(m, 'mutant');
      assert.is(img.data.length, img.width * img.height * img.channels);
    } catch (e) {
      assert.instance(e, ImageError, `mutant ${i}: ${(e as Error)?.stack}`);
    }
  }
});

test.run();
