// A folder of calibration inputs for `wasmq convert --calib DIR`: images (PNG, JPEG, BMP) decoded, resized to
// the model input and normalized with --mean/--std, or .npy files holding one input each. Files are taken in
// name order, so a conversion is reproducible.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { ConvertError } from '../convert/errors.js';
import type { Sample } from '../convert/calibrate/collect.js';
import { readImageFile } from '../convert/images/node.js';
import { resizeBilinear, toFloatTensor, toGrayscale } from '../convert/images/index.js';
import { readNpy } from './npy.js';

export interface CalibrationInput {
  name: string;
  /** the ONNX input shape, NCHW for images */
  shape: number[];
}

export interface CalibrationDirOptions {
  mean?: number[];
  std?: number[];
  /** at most this many files (default all) */
  limit?: number;
}

const IMAGE = /\.(png|jpe?g|bmp)$/i;

export function readCalibrationDir(dir: string, input: CalibrationInput, options: CalibrationDirOptions = {}): Sample[] {
  let files: string[];
  try {
    files = readdirSync(dir).filter((f) => IMAGE.test(f) || /\.npy$/i.test(f)).sort();
  } catch (e) {
    throw new ConvertError('READ_FAILED', `${dir}: cannot list the calibration folder: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, { cause: e });
  }
  if (files.length === 0) throw new ConvertError('CALIBRATION', `${dir}: no .png, .jpg, .bmp or .npy files to calibrate with`);
  files = files.slice(0, options.limit ?? files.length);
  const n = input.shape.reduce((a, b) => a * b, 1);
  return files.map((f) => {
    const file = path.join(dir, f);
    if (/\.npy$/i.test(f)) {
      const arr = readNpy(new Uint8Array(readFileSync(file)), file);
      if (!(arr.data instanceof Float32Array)) throw new ConvertError('CALIBRATION', `${file}: calibration .npy files must be float32 ('<f4')`);
      if (arr.data.length !== n) throw new ConvertError('CALIBRATION', `${file}: ${arr.data.length} values, input '${input.name}' takes ${n} (${input.shape.join('x')})`);
      return { [input.name]: arr.data };
    }
    if (input.shape.length !== 4) throw new ConvertError('CALIBRATION', `${file}: images calibrate only rank-4 image inputs; '${input.name}' is ${input.shape.join('x')}`);
    const [, c, h, w] = input.shape;
    if (c !== 1 && c !== 3) throw new ConvertError('CALIBRATION', `${file}: input '${input.name}' has ${c} channels; images give 1 or 3`);
    let img = resizeBilinear(readImageFile(file), w, h);
    if (c === 1) img = toGrayscale(img);
    return { [input.name]: toFloatTensor(img, { mean: options.mean, std: options.std, layout: 'NCHW' }).data };
  });
}
