// Image bytes -> RGB HWC uint8, sniffing the format from its signature: PNG (pngjs), JPEG (jpeg-js), BMP (own
// decoder, see bmp.ts). Alpha is dropped (not composited). Every failure is an ImageError naming the source.
// JPEG and BMP decoding are pure; pngjs needs Node's Buffer and zlib (bundlers must polyfill them).
import jpeg from 'jpeg-js';
import pngjs from 'pngjs';
import { decodeBmp } from './bmp.js';
import { ImageError } from './errors.js';
import type { Image } from './image.js';

export interface DecodeOptions {
  /** refuse images with more pixels than this before allocating (default 64 M) */
  maxPixels?: number;
}

export type ImageFormat = 'png' | 'jpeg' | 'bmp';

export function sniffImageFormat(bytes: Uint8Array): ImageFormat | undefined {
  if (bytes.length >= 8 && bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47) return 'png';
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
  if (bytes.length >= 2 && bytes[0] === 0x42 && bytes[1] === 0x4d) return 'bmp';
  return undefined;
}

export function decodeImage(bytes: Uint8Array, name = '<bytes>', options: DecodeOptions = {}): Image {
  const maxPixels = options.maxPixels ?? 64 * 1024 * 1024;
  const format = sniffImageFormat(bytes);
  if (format === 'bmp') return decodeBmp(bytes, name, maxPixels);
  if (format === 'png') return decodePng(bytes, name, maxPixels);
  if (format === 'jpeg') return decodeJpeg(bytes, name, maxPixels);
  throw new ImageError(`${name}: unsupported image format (PNG, JPEG and BMP are supported; the file starts with ${hexHead(bytes)})`);
}

function decodeJpeg(bytes: Uint8Array, name: string, maxPixels: number): Image {
  let decoded: { width: number; height: number; data: Uint8Array };
  try {
    decoded = jpeg.decode(bytes, {
      useTArray: true, formatAsRGBA: false, maxResolutionInMP: maxPixels / 1e6, maxMemoryUsageInMB: 2048,
    });
  } catch (e) {
    throw new ImageError(`${name}: not a readable JPEG: ${(e as Error)?.message ?? e}`, { cause: e });
  }
  const { width, height, data } = decoded;
  if (!(width > 0 && height > 0) || data.length !== width * height * 3) {
    throw new ImageError(`${name}: JPEG decoded to ${data.length} bytes for ${width}x${height} pixels`);
  }
  return { width, height, channels: 3, data };
}

function decodePng(bytes: Uint8Array, name: string, maxPixels: number): Image {
  // Check the IHDR dimensions first: pngjs would allocate width * height * 4 bytes before reading any pixel.
  if (bytes.length < 24) throw new ImageError(`${name}: not a readable PNG: truncated header`);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const w = dv.getUint32(16), h = dv.getUint32(20);
  if (w * h > maxPixels) throw new ImageError(`${name}: PNG of ${w}x${h} exceeds the limit of ${maxPixels} pixels`);
  let png: { width: number; height: number; data: Uint8Array };
  try {
    png = pngjs.PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  } catch (e) {
    throw new ImageError(`${name}: not a readable PNG: ${(e as Error)?.message ?? e}`, { cause: e });
  }
  const { width, height, data: rgba } = png;
  if (!(width > 0 && height > 0) || rgba.length !== width * height * 4) {
    throw new ImageError(`${name}: PNG decoded to ${rgba.length} bytes for ${width}x${height} pixels`);
  }
  const data = new Uint8Array(width * height * 3);
  for (let i = 0, j = 0; j < data.length; i += 4, j += 3) {
    data[j] = rgba[i]; data[j + 1] = rgba[i + 1]; data[j + 2] = rgba[i + 2];
  }
  return { width, height, channels: 3, data };
}

function hexHead(bytes: Uint8Array): string {
  return Array.from(bytes.subarray(0, 4), (b) => b.toString(16).padStart(2, '0')).join(' ') || '(nothing: empty file)';
}
