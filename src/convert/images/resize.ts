// Geometric preprocessing: bilinear resize and center crop. Pure functions; the input image is never mutated.
//
// Resize convention: half-pixel centers without corner alignment (align_corners=false,
// half_pixel_centers=true), which is what TF2's tf.image.resize(method='bilinear'), TFLite's RESIZE_BILINEAR
// with half_pixel_centers, PIL without antialiasing and OpenCV's INTER_LINEAR compute: output pixel x samples
// the source at (x + 0.5) * in/out - 0.5. `halfPixelCenters: false` gives TF1's legacy convention (x * in/out),
// as in TFLite's label_image example. No antialiasing filter is applied when shrinking. Results are rounded
// to the nearest integer (halves up) and clamped to [0, 255].
import { ImageError } from './errors.js';
import type { Image } from './image.js';

export interface ResizeOptions {
  /** default true (see above) */
  halfPixelCenters?: boolean;
}

/** Source sample positions along one axis: lower index, upper index and the weight of the upper one. */
function axisTaps(inSize: number, outSize: number, halfPixel: boolean) {
  const lo = new Int32Array(outSize), hi = new Int32Array(outSize), frac = new Float64Array(outSize);
  const scale = inSize / outSize;
  for (let o = 0; o < outSize; o++) {
    const src = halfPixel ? (o + 0.5) * scale - 0.5 : o * scale;
    const f = Math.floor(src);
    lo[o] = Math.min(Math.max(f, 0), inSize - 1);
    hi[o] = Math.min(Math.max(f + 1, 0), inSize - 1);
    frac[o] = src - f;
  }
  return { lo, hi, frac };
}

export function resizeBilinear(img: Image, width: number, height: number, options: ResizeOptions = {}): Image {
  checkSize(width, height, 'resize');
  const halfPixel = options.halfPixelCenters ?? true;
  const xs = axisTaps(img.width, width, halfPixel), ys = axisTaps(img.height, height, halfPixel);
  const c = img.channels, src = img.data, rowIn = img.width * c;
  const data = new Uint8Array(width * height * c);
  for (let y = 0; y < height; y++) {
    const r0 = ys.lo[y] * rowIn, r1 = ys.hi[y] * rowIn, fy = ys.frac[y];
    for (let x = 0; x < width; x++) {
      const c0 = xs.lo[x] * c, c1 = xs.hi[x] * c, fx = xs.frac[x];
      for (let k = 0; k < c; k++) {
        const top = src[r0 + c0 + k] + (src[r0 + c1 + k] - src[r0 + c0 + k]) * fx;
        const bottom = src[r1 + c0 + k] + (src[r1 + c1 + k] - src[r1 + c0 + k]) * fx;
        const v = Math.round(top + (bottom - top) * fy);
        data[(y * width + x) * c + k] = v < 0 ? 0 : v > 255 ? 255 : v;
      }
    }
  }
  return { width, height, channels: c, data };
}

/**
 * The centered window of `fraction` of each side (e.g. 0.875, the ImageNet evaluation crop), or of an exact
 * size in pixels when `size` is given. Odd leftovers put the extra pixel at the bottom / right.
 */
export function centerCrop(img: Image, crop: { fraction: number } | { width: number; height: number }): Image {
  let w: number, h: number;
  if ('fraction' in crop) {
    if (!(crop.fraction > 0 && crop.fraction <= 1)) throw new ImageError(`center crop fraction ${crop.fraction} is not in (0, 1]`);
    w = Math.max(1, Math.round(img.width * crop.fraction));
    h = Math.max(1, Math.round(img.height * crop.fraction));
  } else {
    w = crop.width; h = crop.height;
  }
  checkSize(w, h, 'center crop');
  if (w > img.width || h > img.height) throw new ImageError(`center crop ${w}x${h} is larger than the ${img.width}x${img.height} image`);
  const x0 = Math.floor((img.width - w) / 2), y0 = Math.floor((img.height - h) / 2), c = img.channels;
  const data = new Uint8Array(w * h * c);
  for (let y = 0; y < h; y++) {
    const from = ((y0 + y) * img.width + x0) * c;
    data.set(img.data.subarray(from, from + w * c), y * w * c);
  }
  return { width: w, height: h, channels: c, data };
}

function checkSize(width: number, height: number, what: string): void {
  if (!(Number.isInteger(width) && Number.isInteger(height) && width > 0 && height > 0 && width * height <= 2 ** 28)) {
    throw new ImageError(`${what} size ${width}x${height} must be positive integers`);
  }
}
