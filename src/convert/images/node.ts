// Node-only file helpers for images (the rest of src/convert/images is pure).
import { readFileSync } from 'node:fs';
import { decodeImage, type DecodeOptions } from './decode.js';
import { ImageError } from './errors.js';
import type { Image } from './image.js';

export function readImageFile(path: string, options?: DecodeOptions): Image {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    throw new ImageError(`${path}: cannot read the file: ${(e as NodeJS.ErrnoException)?.code ?? (e as Error)?.message}`, { cause: e });
  }
  return decodeImage(bytes, path, options);
}
