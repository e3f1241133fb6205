// `wasmq eval --digits` (the bundled model) or `wasmq eval model.onnx --calib DIR --data DIR`: float vs int8
// accuracy under every calibration method, per-tensor weights and weight-only, in one table.
import type { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { accuracyTable, formatAccuracyTable, type LabelledSamples } from '../../eval/accuracy.js';
import { importOnnx } from '../../convert/onnx/import.js';
import { ConvertError } from '../../convert/errors.js';
import type { Sample } from '../../convert/calibrate/collect.js';
import { readCalibrationDir } from '../calibration-dir.js';
import { readLabelledDir } from '../labelled-dir.js';
import { readLabelsFile } from './convert-tflite.js';
import { readBytes } from '../files.js';
import { readDigitsCard, normalizeDigits } from '../../demo/model-card.js';
import { calibrationSamples, heldOutDigits, DIGIT_PIXELS } from '../../demo/digits.js';

interface EvalOptions {
  digits?: boolean;
  calib?: string;
  data?: string;
  mean?: number[];
  std?: number[];
  labels?: string;
}

/** The bundled digits model with its 200 calibration and 2,000 held-out digits. */
export function digitsEvalInputs(): { onnx: Uint8Array; calibration: Sample[]; test: LabelledSamples } {
  const card = readDigitsCard();
  const calibration = [...calibrationSamples(card.inputName)].map((s) => ({ [card.inputName]: normalizeDigits(card, s[card.inputName]) }));
  const held = heldOutDigits();
  const images = normalizeDigits(card, held.images);
  const samples = Array.from({ length: held.count }, (_, i) => ({ [card.inputName]: images.subarray(i * DIGIT_PIXELS, (i + 1) * DIGIT_PIXELS) }));
  return { onnx: new Uint8Array(readFileSync(card.onnxPath)), calibration, test: { samples, labels: held.labels } };
}

export function registerEval(program: Command): void {
  const numbers = (v: string) => v.split(',').map(Number);
  program
    .command('eval')
    .description('float vs int8 accuracy for every calibration method, per-tensor weights and weight-only')
    .argument('[model]', 'a float ONNX classifier (omit with --digits)')
    .option('--digits', 'the bundled digits model on its 2,000 held-out digits')
    .option('--calib <dir>', 'calibration inputs (images or .npy)')
    .option('--data <dir>', 'labelled images: one subfolder per class')
    .option('--mean <list>', 'per-channel mean of pixels in [0,1]', numbers)
    .option('--std <list>', 'per-channel std', numbers)
    .option('--labels <file>', 'class labels, one per line, in the model output order')
    .action(async (model: string | undefined, opts: EvalOptions) => {
      let onnx: Uint8Array, calibration: Sample[], test: LabelledSamples;
      if (opts.digits) {
        ({ onnx, calibration, test } = digitsEvalInputs());
      } else {
        if (!model || !opts.calib || !opts.data) throw new ConvertError('CALIBRATION', 'give a model with --calib DIR and --data DIR, or --digits');
        onnx = await readBytes(model);
        const g = importOnnx(onnx, { batchSize: 1 });
        const t = g.tensors.get(g.inputs[0])!;
        const input = { name: t.name, shape: t.shape! };
        calibration = readCalibrationDir(opts.calib, input, opts);
        test = readLabelledDir(opts.data, input, { ...opts, labels: opts.labels ? readLabelsFile(opts.labels) : undefined });
      }
      const rows = await accuracyTable(onnx, calibration, test, { import: { batchSize: 1 } });
      console.log(`${test.labels.length} labelled samples, ${calibration.length} calibration samples\n`);
      console.log(formatAccuracyTable(rows));
    });
}
