// Image decoding and preprocessing for model inputs (pure; Node file helpers are in ./node.js).
export type { Image } from './image.js';
export { ImageError } from './errors.js';
export { decodeImage, sniffImageFormat, type DecodeOptions, type ImageFormat } from './decode.js';
export { resizeBilinear, centerCrop, type ResizeOptions } from './resize.js';
export { toGrayscale, toFloatTensor, toQuantizedTensor, type NormalizeOptions } from './tensor.js';
