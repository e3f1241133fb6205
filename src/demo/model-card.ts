// models/digits/digits.json, written by the training script: the bundled model's interface and its float
// accuracy as measured in PyTorch.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { packageRoot } from './paths.js';

export interface DigitsCard {
  onnxPath: string;
  inputName: string;
  outputName: string;
  /** per channel, applied to pixels in [0, 1] */
  mean: number[];
  std: number[];
  labels: string[];
  heldOutAccuracy: number;
}

export function readDigitsCard(): DigitsCard {
  const dir = path.join(packageRoot(), 'models/digits');
  const raw = JSON.parse(readFileSync(path.join(dir, 'digits.json'), 'utf8'));
  const list = (v: number | number[]) => (Array.isArray(v) ? v : [v]);
  return {
    onnxPath: path.join(dir, raw.model),
    inputName: raw.input.name,
    outputName: raw.output.name,
    mean: list(raw.input.mean),
    std: list(raw.input.std),
    labels: raw.labels,
    heldOutAccuracy: raw.heldOutAccuracy,
  };
}

/** (x - mean) / std for one-channel pixels in [0, 1]. */
export function normalizeDigits(card: DigitsCard, x: Float32Array): Float32Array {
  const m = card.mean[0], s = card.std[0];
  return m === 0 && s === 1 ? x : x.map((v) => (v - m) / s);
}
