// A labelled image folder for `wasmq eval --data DIR`: one subfolder per class (DIR/<class>/*.png|jpg|bmp).
// Class indices follow --labels when given (a subfolder must match a label), else the sorted subfolder names.
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { ConvertError } from '../convert/errors.js';
import { readCalibrationDir, type CalibrationInput, type CalibrationDirOptions } from './calibration-dir.js';
import type { LabelledSamples } from '../eval/accuracy.js';

export function readLabelledDir(dir: string, input: CalibrationInput, options: CalibrationDirOptions & { labels?: string[] } = {}): LabelledSamples {
  let classes: string[];
  try {
    classes = readdirSync(dir).filter((d) => statSync(path.join(dir, d)).isDirectory()).sort();
  } catch (e) {
    throw new ConvertError('READ_FAILED', `${dir}: cannot list the labelled folder: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, { cause: e });
  }
  if (classes.length === 0) throw new ConvertError('CALIBRATION', `${dir}: no class subfolders (expected ${dir}/<class>/<image>)`);
  const samples: LabelledSamples['samples'] = [];
  const labels: number[] = [];
  for (const name of classes) {
    const index = options.labels ? options.labels.indexOf(name) : classes.indexOf(name);
    if (index < 0) throw new ConvertError('CALIBRATION', `${dir}/${name}: '${name}' is not one of the model's labels`);
    for (const s of readCalibrationDir(path.join(dir, name), input, options)) {
      samples.push(s);
      labels.push(index);
    }
  }
  return { samples, labels };
}
