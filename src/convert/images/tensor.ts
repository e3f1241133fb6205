// Pixels -> model input tensors. Pure functions; the input image is never mutated.
import { ImageError } from './errors.js';
import type { Image } from './image.js';

/** ITU-R BT.601 luma, as tf.image.rgb_to_grayscale: 0.2989 R + 0.5870 G + 0.1140 B, rounded. */
export function toGrayscale(img: Image): Image {
  if (img.channels === 1) return { ...img, data: new Uint8Array(img.data) };
  const n = img.width * img.height, data = new Uint8Array(n), s = img.data;
  for (let i = 0; i < n; i++) data[i] = Math.min(255, Math.round(0.2989 * s[3 * i] + 0.587 * s[3 * i + 1] + 0.114 * s[3 * i + 2]));
  return { width: img.width, height: img.height, channels: 1, data };
}

export interface NormalizeOptions {
  /** per channel (or one value for all); subtracted after pixelScale. Default 0 */
  mean?: number[];
  /** per channel (or one value for all). Default 1 */
  std?: number[];
  /** multiplies the byte first; 1/255 maps to [0, 1]. Default 1/255 */
  pixelScale?: number;
  /** default 'NHWC' */
  layout?: 'NHWC' | 'NCHW';
}

/**
 * float32 input with batch 1: `(byte * pixelScale - mean[c]) / std[c]`, in NHWC ([1, H, W, C]) or NCHW order.
 * This is the same formula as the model metadata's Preprocessing.
 */
export function toFloatTensor(img: Image, options: NormalizeOptions = {}): { data: Float32Array; shape: number[] } {
  const c = img.channels, hw = img.width * img.height;
  const perChannel = (v: number[] | undefined, dflt: number, what: string) => {
    const a = v ?? [dflt];
    if (a.length !== 1 && a.length !== c) throw new ImageError(`${what} has ${a.length} values for a ${c}-channel image`);
    if (!a.every(Number.isFinite)) throw new ImageError(`${what} must be finite numbers`);
    return Array.from({ length: c }, (_, k) => a[a.length === 1 ? 0 : k]);
  };
  const mean = perChannel(options.mean, 0, 'mean');
  const std = perChannel(options.std, 1, 'std');
  if (std.some((s) => s === 0)) throw new ImageError('std must not be 0');
  const scale = options.pixelScale ?? 1 / 255;
  const nchw = (options.layout ?? 'NHWC') === 'NCHW';
  const data = new Float32Array(hw * c);
  for (let i = 0; i < hw; i++) {
    for (let k = 0; k < c; k++) {
      data[nchw ? k * hw + i : i * c + k] = (img.data[i * c + k] * scale - mean[k]) / std[k];
    }
  }
  return { data, shape: nchw ? [1, c, img.height, img.width] : [1, img.height, img.width, c] };
}

/**
 * Bytes as the input of a quantized model whose input is the raw pixel value (scale 1/255-style uint8 input,
 * as the coral MobileNets): uint8 as is, or int8 as byte - 128 (the same real value when the int8 zero point is
 * the uint8 one minus 128). NHWC [1, H, W, C]; a copy.
 */
export function toQuantizedTensor(img: Image, dtype: 'uint8' | 'int8'): { data: Uint8Array | Int8Array; shape: number[] } {
  const shape = [1, img.height, img.width, img.channels];
  if (dtype === 'uint8') return { data: new Uint8Array(img.data), shape };
  const data = new Int8Array(img.data.length);
  for (let i = 0; i < data.length; i++) data[i] = img.data[i] - 128;
  return { data, shape };
}
