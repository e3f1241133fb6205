// `wasmq convert model.onnx --calib DIR -o model.wasmq [--method entropy] [--per-tensor] [--weights-only]`
// and `wasmq convert model.tflite -o model.wasmq`: float ONNX is calibrated and quantized; TFLite int8, ONNX
// QDQ and ONNX quantized-operator graphs are imported with their own parameters (no --calib needed). Prints a per-layer error report (worst first) and the sizes.
import type { Command } from 'commander';
import path from 'node:path';
import { SingleBar, Presets } from 'cli-progress';
import { convert, DEFAULT_METHOD, type ConversionReport } from '../../convert/convert.js';
import { CALIBRATION_METHODS, type CalibrationMethod } from '../../convert/calibrate/methods.js';
import { importOnnx } from '../../convert/onnx/import.js';
import { nodeFileReader } from '../../convert/onnx/external-node.js';
import { ConvertError } from '../../convert/errors.js';
import { readCalibrationDir } from '../calibration-dir.js';
import { convertTfliteFile, readLabelsFile } from './convert-tflite.js';
import { readBytes, writeBytes } from '../files.js';
import { decodeModelProto } from '../../convert/onnx/proto.js';
import { isQdqModel } from '../../convert/onnx/qdq.js';
import { hasQuantizedOps, importQuantizedModelProto } from '../../convert/onnx/quantized-ops.js';
import { writeModel } from '../../format/write.js';

interface ConvertCliOptions {
  output: string;
  calib?: string;
  calibLimit?: number;
  method: string;
  percentile?: number;
  perTensor?: boolean;
  weightsOnly?: boolean;
  randomCalib?: number;
  mean?: number[];
  std?: number[];
  labels?: string;
  batch?: number;
  quiet?: boolean;
}

const numbers = (v: string): number[] => v.split(',').map((x) => {
  const n = Number(x);
  if (!Number.isFinite(n)) throw new ConvertError('CALIBRATION', `'${v}' is not a comma-separated list of numbers`);
  return n;
});
const int = (v: string): number => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new ConvertError('CALIBRATION', `'${v}' is not a positive integer`);
  return n;
};

export function formatReport(r: ConversionReport, worst = 10): string {
  const lines: string[] = [];
  const kib = (n: number) => `${(n / 1024).toFixed(1)} KiB`;
  lines.push(`calibration: ${r.method}${r.randomCalibration ? ' on RANDOM inputs (not real data: expect poor accuracy)' : ''}, ${r.calibrationSamples} samples, per-${r.perChannel ? 'channel' : 'tensor'} weights`);
  if (r.layers.length) {
    lines.push(`per-layer SQNR of int8 vs float (dB, higher is better), worst ${Math.min(worst, r.layers.length)} of ${r.layers.length}:`);
    for (const l of r.layers.slice(0, worst)) lines.push(`  ${(Number.isFinite(l.sqnrDb) ? l.sqnrDb.toFixed(1) : 'exact').padStart(7)}  ${l.kind.padEnd(16)} ${l.name}`);
  }
  lines.push(`size: ${kib(r.onnxBytes)} ONNX -> ${kib(r.wasmqBytes)} wasmq (${(r.onnxBytes / r.wasmqBytes).toFixed(2)}x smaller)`);
  return lines.join('\n');
}

export async function convertOnnxFile(input: string, opts: ConvertCliOptions): Promise<ConversionReport> {
  const bytes = await readBytes(input);
  if (!CALIBRATION_METHODS.includes(opts.method as CalibrationMethod)) {
    throw new ConvertError('CALIBRATION', `--method ${opts.method}: choose one of ${CALIBRATION_METHODS.join(', ')}`);
  }
  let samples: ReturnType<typeof readCalibrationDir> = [];
  const importOptions = { batchSize: opts.batch ?? 1, baseDir: path.dirname(path.resolve(input)), readFile: nodeFileReader, source: input };
  const proto = decodeModelProto(bytes, input);
  const qdq = isQdqModel(proto);
  if (!qdq && hasQuantizedOps(proto)) {
    // QLinearConv / QLinearMatMul / ... graphs: imported as they are, with their own parameters
    const model = importQuantizedModelProto(proto, { source: input });
    if (opts.labels) model.metadata.labels = readLabelsFile(opts.labels);
    const out = writeModel(model);
    await writeBytes(opts.output, out);
    const perChannel = model.tensors.some((t) => t.buffer !== undefined && t.dtype !== 'int32' && (t.quant?.scales.length ?? 0) > 1);
    return { method: 'imported:onnx-qoperator', perChannel, calibrationSamples: 0, randomCalibration: false, layers: [], onnxBytes: bytes.length, wasmqBytes: out.length };
  }
  if (!qdq && !opts.weightsOnly && opts.randomCalib === undefined) {
    if (!opts.calib) throw new ConvertError('CALIBRATION', 'give --calib DIR (sample inputs), or --weights-only, or --random-calib N to calibrate on noise');
    const g = importOnnx(bytes, importOptions);
    if (g.inputs.length !== 1) throw new ConvertError('CALIBRATION', `--calib DIR feeds single-input models; this one has ${g.inputs.length} inputs`);
    const t = g.tensors.get(g.inputs[0])!;
    samples = readCalibrationDir(opts.calib, { name: t.name, shape: t.shape! }, { mean: opts.mean, std: opts.std, limit: opts.calibLimit });
  }
  const bar = opts.quiet || !process.stderr.isTTY ? undefined : new SingleBar({ format: ' {stage} [{bar}] {value}/{total}', stream: process.stderr }, Presets.shades_classic);
  let stage = '';
  const result = await convert(bytes, samples, {
    method: opts.method as CalibrationMethod,
    percentile: opts.percentile,
    perTensor: opts.perTensor,
    weightsOnly: opts.weightsOnly,
    randomCalibration: opts.randomCalib,
    import: importOptions,
    metadata: {
      labels: opts.labels ? readLabelsFile(opts.labels) : undefined,
      preprocessing: opts.mean || opts.std ? { layout: 'NHWC', mean: opts.mean ?? [0], std: opts.std ?? [1], pixelScale: 1 / 255 } : undefined,
    },
    onProgress: (s, done, total) => {
      if (!bar) return;
      if (s !== stage) { bar.stop(); stage = s; bar.start(total, 0, { stage: s === 'calibrate' ? 'calibrating ' : 'layer report' }); }
      bar.update(done);
    },
  });
  bar?.stop();
  await writeBytes(opts.output, result.bytes);
  return result.report;
}

export function registerConvert(program: Command): void {
  program
    .command('convert')
    .description('convert a float ONNX model (calibrated to int8) or a quantized TFLite model to .wasmq')
    .argument('<model>', 'model.onnx or model.tflite')
    .requiredOption('-o, --output <file>', 'the .wasmq file to write')
    .option('--calib <dir>', 'calibration inputs: images (png/jpg/bmp) or float32 .npy files, one input each')
    .option('--calib-limit <n>', 'use at most n calibration files', int)
    .option('--method <name>', `clip-range method: ${CALIBRATION_METHODS.join(', ')}`, DEFAULT_METHOD)
    .option('--percentile <p>', 'percentile method: share of |x| kept, in percent', Number, 99.99)
    .option('--per-tensor', 'one weight scale per tensor instead of per output channel')
    .option('--weights-only', 'int8 weights, float32 activations: no calibration data needed')
    .option('--random-calib <n>', 'calibrate on n random N(0,1) inputs (experiments only; the report says so)', int)
    .option('--mean <list>', 'image calibration: per-channel mean of pixels in [0,1], e.g. 0.485,0.456,0.406', numbers)
    .option('--std <list>', 'image calibration: per-channel std, e.g. 0.229,0.224,0.225', numbers)
    .option('--labels <file>', 'class labels, one per line, stored in the model')
    .option('--batch <n>', 'batch size for a symbolic batch dimension', int)
    .option('-q, --quiet', 'no progress bar')
    .action(async (model: string, opts: ConvertCliOptions) => {
      if (/\.tflite$/i.test(model)) {
        const r = convertTfliteFile(model, opts.output, { labelsPath: opts.labels });
        console.log(`${r.outPath}: ${r.bytes} bytes, ${r.tensors} tensors, ops ${Object.entries(r.ops).map(([k, v]) => `${k} ${v}`).join(', ')} (TFLite quantization kept as is)`);
        return;
      }
      const report = await convertOnnxFile(model, opts);
      console.log(formatReport(report));
      console.log(`wrote ${opts.output}`);
    });
}
