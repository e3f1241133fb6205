// Float ONNX → int8 wasmq, the converter's API: import → passes → float Model → calibrate on the samples with
// the runtime's float32 path → quantize → per-layer error report. The CLI's `wasmq convert` and `npm start` are
// thin shells around this function.
import type { Model, ModelMetadata } from '../format/model.js';
import { writeModel } from '../format/write.js';
import { loadModel } from '../runtime/load.js';
import type { WasmSource } from '../runtime/wasm.js';
import { importOnnx, type ImportOptions } from './onnx/import.js';
import { runPasses } from './passes/pipeline.js';
import { lowerToModel } from './lower.js';
import { collectStats, rangesFrom, type Sample } from './calibrate/collect.js';
import type { CalibrationMethod } from './calibrate/methods.js';
import { quantizeModel } from './quantize/quantize-model.js';
import { layerErrors, type LayerError } from './report/layer-error.js';
import { modelSamplesFrom, randomSamples } from './samples.js';
import { ConvertError } from './errors.js';

/** The method that measured best on the models we test (see README: Accuracy). */
export const DEFAULT_METHOD: CalibrationMethod = 'percentile';

export interface ConvertOptions {
  method?: CalibrationMethod;
  /** percentile method: share of |x| kept, in percent (default 99.99) */
  percentile?: number;
  /** one weight scale per tensor instead of per output channel (for comparison) */
  perTensor?: boolean;
  /** int8 weights, float32 activations; needs no samples */
  weightsOnly?: boolean;
  /** calibrate on this many random N(0,1) inputs instead of samples: only for experiments, and the report says so */
  randomCalibration?: number;
  /** samples used for the per-layer error report (default: up to 32 of the calibration samples) */
  reportSamples?: number;
  import?: ImportOptions;
  /** recorded in the model: preprocessing, labels, producer */
  metadata?: Partial<ModelMetadata>;
  wasm?: WasmSource;
  /** progress: stage name, samples done, samples in the stage */
  onProgress?: (stage: 'calibrate' | 'report', done: number, total: number) => void;
}

export interface ConversionReport {
  method: CalibrationMethod | 'weights-only';
  perChannel: boolean;
  calibrationSamples: number;
  /** true when calibration used random inputs (--random-calib): the ranges say nothing about real data */
  randomCalibration: boolean;
  /** per op output, worst first */
  layers: LayerError[];
  onnxBytes: number;
  wasmqBytes: number;
}

export interface ConversionResult {
  /** the int8 (or weight-only) model */
  model: Model;
  /** the same graph in float32: what the runtime's float path runs */
  floatModel: Model;
  bytes: Uint8Array;
  report: ConversionReport;
}

/** Converts float ONNX bytes with calibration samples (named like the ONNX inputs, in the ONNX layout). */
export async function convert(onnxBytes: Uint8Array, samples: readonly Sample[], options: ConvertOptions = {}): Promise<ConversionResult> {
  const graph = runPasses(importOnnx(onnxBytes, options.import));
  const metadata: ModelMetadata = { producer: 'wasmq convert', ...options.metadata };
  const floatModel = lowerToModel(graph, metadata);
  const perChannel = !options.perTensor;

  if (options.weightsOnly) {
    const model = quantizeModel(floatModel, new Map(), { weightsOnly: true, perChannel });
    model.metadata = { ...model.metadata, calibrationMethod: 'weights-only' };
    const bytes = writeModel(model);
    const report: ConversionReport = { method: 'weights-only', perChannel, calibrationSamples: 0, randomCalibration: false, layers: [], onnxBytes: onnxBytes.length, wasmqBytes: bytes.length };
    return { model, floatModel, bytes, report };
  }

  const random = options.randomCalibration !== undefined;
  if (random && samples.length > 0) throw new ConvertError('CALIBRATION', 'give calibration samples or ask for random calibration, not both');
  const calib = random ? randomSamples(floatModel, options.randomCalibration!) : modelSamplesFrom(floatModel, graph, samples);
  if (calib.length === 0) {
    throw new ConvertError('CALIBRATION', 'no calibration samples: give sample inputs (or weightsOnly, or randomCalibration to calibrate on noise explicitly)');
  }

  const floatSession = await (await loadModel(floatModel, { wasm: options.wasm })).createSession();
  const stats = await collectStats(floatModel, calib, (feeds, observe) => floatSession.run(feeds, { observe: (t, v) => observe(t, v as Float32Array) }).then(() => undefined), {
    onSample: (n) => options.onProgress?.('calibrate', n, calib.length),
  });
  const method = options.method ?? DEFAULT_METHOD;
  const ranges = rangesFrom(stats, method, { percentile: options.percentile });
  const model = quantizeModel(floatModel, ranges, { perChannel });
  model.metadata = { ...model.metadata, calibrationMethod: random ? `${method} (random inputs)` : method };
  const bytes = writeModel(model);

  const reportSet = calib.slice(0, options.reportSamples ?? 32);
  const layers = await layerErrors(floatModel, model, reportSet, {
    wasm: options.wasm,
    onSample: (n) => options.onProgress?.('report', n, reportSet.length),
  });
  floatSession.release();
  const report: ConversionReport = {
    method, perChannel, calibrationSamples: calib.length, randomCalibration: random, layers,
    onnxBytes: onnxBytes.length, wasmqBytes: bytes.length,
  };
  return { model, floatModel, bytes, report };
}
