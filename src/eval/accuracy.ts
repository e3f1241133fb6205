// Float vs int8 accuracy of one ONNX classifier under every conversion setting: each calibration method with
// per-channel weights, the default method with per-tensor weights, and weight-only. Calibration runs once; every
// setting quantizes from the same statistics, and all models are evaluated on the same labelled samples.
import type { Model } from '../format/model.js';
import { loadModel } from '../runtime/load.js';
import { calibrate, quantizeCalibrated, floatModelOf, DEFAULT_METHOD, type ConvertOptions } from '../convert/convert.js';
import { CALIBRATION_METHODS } from '../convert/calibrate/methods.js';
import type { Sample } from '../convert/calibrate/collect.js';
import { modelSamplesFrom } from '../convert/samples.js';
import { quantizeModel } from '../convert/quantize/quantize-model.js';
import { writeModel } from '../format/write.js';

export interface AccuracyRow {
  setting: string;
  accuracy: number;
  /** share of samples where this model's class equals the float model's */
  agreement: number;
  fileBytes: number;
}

export interface LabelledSamples {
  /** named like the ONNX inputs, in the ONNX layout, preprocessed */
  samples: Sample[];
  labels: ArrayLike<number>;
}

export async function accuracyTable(onnxBytes: Uint8Array, calibration: Sample[], test: LabelledSamples, options: ConvertOptions = {}): Promise<AccuracyRow[]> {
  const calibrated = await calibrate(onnxBytes, calibration, options);
  const { graph } = floatModelOf(onnxBytes, options);
  const feeds = modelSamplesFrom(calibrated.floatModel, graph, test.samples);
  const settings: [string, Model][] = [['float32', calibrated.floatModel]];
  for (const method of CALIBRATION_METHODS) settings.push([`int8 ${method}${method === DEFAULT_METHOD ? ' (default)' : ''}`, quantizeCalibrated(calibrated, method)]);
  settings.push([`int8 ${DEFAULT_METHOD}, per-tensor weights`, quantizeCalibrated(calibrated, DEFAULT_METHOD, { perChannel: false })]);
  settings.push(['weight-only int8', quantizeModel(calibrated.floatModel, new Map(), { weightsOnly: true })]);

  let floatPredictions: Int32Array | undefined;
  const rows: AccuracyRow[] = [];
  for (const [setting, model] of settings) {
    const predictions = await classifyAll(model, feeds, options);
    floatPredictions ??= predictions;
    let right = 0, same = 0;
    for (let i = 0; i < predictions.length; i++) {
      if (predictions[i] === test.labels[i]) right++;
      if (predictions[i] === floatPredictions[i]) same++;
    }
    rows.push({ setting, accuracy: right / predictions.length, agreement: same / predictions.length, fileBytes: writeModel(model).length });
  }
  return rows;
}

async function classifyAll(model: Model, feeds: Sample[], options: ConvertOptions): Promise<Int32Array> {
  const loaded = await loadModel(model, { wasm: options.wasm });
  const session = await loaded.createSession();
  const output = loaded.info.outputs[0].name;
  const out = new Int32Array(feeds.length);
  feeds.forEach((feed, i) => {
    const y = (session.runSync(feed) as Record<string, Float32Array>)[output];
    let best = 0;
    for (let k = 1; k < y.length; k++) if (y[k] > y[best]) best = k;
    out[i] = best;
  });
  session.release();
  return out;
}

export function formatAccuracyTable(rows: AccuracyRow[]): string {
  const pct = (x: number) => `${(100 * x).toFixed(2)}%`;
  const float = rows[0]?.accuracy ?? 0;
  const lines = ['setting                                 accuracy   vs float   agreement   file'];
  for (const r of rows) {
    lines.push(`${r.setting.padEnd(40)}${pct(r.accuracy).padStart(8)}   ${((r.accuracy - float) * 100 >= 0 ? '+' : '') + ((r.accuracy - float) * 100).toFixed(2)}`.padEnd(61) + `${pct(r.agreement).padStart(9)}   ${(r.fileBytes / 1024).toFixed(1)} KiB`);
  }
  return lines.join('\n');
}
