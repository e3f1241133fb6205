// A small BMP decoder: uncompressed 24- and 32-bit, and 8-bit palette images, any info-header version.
// Written here rather than using bmp-js because bmp-js ignores the pixel-data offset of the file header: with
// the common 124-byte (V5) info header, as in the coral test photos, its image is silently shifted. Pure
// (no Buffer), so it runs in browsers.
import { ImageError } from './errors.js';
import type { Image } from './image.js';

const BI_RGB = 0;
const BI_BITFIELDS = 3;

export function decodeBmp(bytes: Uint8Array, name: string, maxPixels: number): Image {
  const fail = (why: string): never => { throw new ImageError(`${name}: not a readable BMP: ${why}`); };
  if (bytes.length < 54) fail(`${bytes.length} bytes is shorter than the 54-byte header`);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const dataOffset = dv.getUint32(10, true);
  const headerSize = dv.getUint32(14, true);
  if (headerSize < 40) fail(`info header of ${headerSize} bytes (OS/2 headers are not supported)`);
  const width = dv.getInt32(18, true);
  const rawHeight = dv.getInt32(22, true);
  const bpp = dv.getUint16(28, true);
  const compression = dv.getUint32(30, true);
  const colorsUsed = dv.getUint32(46, true);
  const bottomUp = rawHeight > 0;
  const height = Math.abs(rawHeight);
  if (width <= 0 || height <= 0) fail(`dimensions ${width}x${rawHeight}`);
  if (width * height > maxPixels) fail(`${width}x${height} exceeds the limit of ${maxPixels} pixels`);
  if (bpp !== 8 && bpp !== 24 && bpp !== 32) fail(`${bpp} bits per pixel (8, 24 and 32 are supported)`);
  if (!(compression === BI_RGB || (compression === BI_BITFIELDS && bpp === 32))) fail(`compression type ${compression}`);
  const rowBytes = Math.ceil((width * bpp) / 32) * 4;
  if (dataOffset + rowBytes * height > bytes.length) {
    fail(`pixel data (${rowBytes * height} bytes at offset ${dataOffset}) runs past the end of the file (${bytes.length} bytes)`);
  }

  let palette: Uint8Array | undefined;
  if (bpp === 8) {
    const entries = colorsUsed === 0 ? 256 : colorsUsed;
    const start = 14 + headerSize;
    if (entries > 256 || start + entries * 4 > dataOffset) fail(`palette of ${entries} entries does not fit before the pixel data`);
    palette = bytes.subarray(start, start + entries * 4);
  }
  // 32-bit BITFIELDS: only byte-aligned masks. They sit at file offsets 54, 58, 62 (R, G, B), inside a V3+
  // info header or right after a 40-byte one.
  let shifts = [16, 8, 0];
  if (compression === BI_BITFIELDS) {
    if (headerSize < 52 && dataOffset < 66) fail('bit-field masks are missing');
    shifts = [54, 58, 62].map((at) => {
      const mask = dv.getUint32(at, true);
      const shift = [0, 8, 16, 24].find((s) => mask === (0xff << s) >>> 0);
      return shift ?? fail(`bit-field mask 0x${mask.toString(16)} is not a byte`);
    });
  }

  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    const row = dataOffset + (bottomUp ? height - 1 - y : y) * rowBytes;
    for (let x = 0; x < width; x++) {
      const o = (y * width + x) * 3;
      if (bpp === 24) {
        const p = row + x * 3;
        data[o] = bytes[p + 2]; data[o + 1] = bytes[p + 1]; data[o + 2] = bytes[p];
      } else if (bpp === 32) {
        const v = dv.getUint32(row + x * 4, true);
        data[o] = (v >>> shifts[0]) & 0xff; data[o + 1] = (v >>> shifts[1]) & 0xff; data[o + 2] = (v >>> shifts[2]) & 0xff;
      } else {
        const idx = bytes[row + x];
        if (idx * 4 >= palette!.length) fail(`palette index ${idx} at pixel (${x}, ${y}) is out of range`);
        data[o] = palette![idx * 4 + 2]; data[o + 1] = palette![idx * 4 + 1]; data[o + 2] = palette![idx * 4];
      }
    }
  }
  return { width, height, channels: 3, data };
}
