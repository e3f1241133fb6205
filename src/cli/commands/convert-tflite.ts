// `wasmq convert model.tflite -o model.wasmq [--labels labels.txt]`: import a fully-quantized TFLite model and
// write it as a verified .wasmq file. A pure function of its arguments; the CLI dispatcher registers it.
import { readFileSync, writeFileSync } from 'node:fs';
import type { Preprocessing } from '../../format/model.js';
import { writeModel } from '../../format/write.js';
import { ConvertError } from '../../convert/errors.js';
import { importTflite } from '../../convert/tflite/import.js';

export interface ConvertTfliteOptions {
  /** a text file of class labels, one per line (a trailing empty line is ignored) */
  labelsPath?: string;
  /** overrides the default preprocessing note (see TfliteImportOptions.preprocessing) */
  preprocessing?: Preprocessing;
  /**
   * Legacy uint8 weights with zero points (TfliteImportOptions.uint8Weights). Default 'keep': exact, the
   * runtime's kernels fold a per-tensor weight zero point (QUANTIZATION.md §2).
   */
  uint8Weights?: 'keep' | 'symmetric-int8';
}

export interface ConvertTfliteResult {
  inPath: string;
  outPath: string;
  /** bytes written */
  bytes: number;
  tensors: number;
  /** op count by kind, e.g. { Conv2D: 36, DepthwiseConv2D: 17, ... } */
  ops: Record<string, number>;
  /** import notes worth printing (e.g. how many uint8 weight channels were rescaled), from the model metadata */
  notes: string[];
}

function readInput(path: string, what: string): Uint8Array {
  try {
    return readFileSync(path);
  } catch (e) {
    throw new ConvertError('READ_FAILED', `${path}: cannot read the ${what}: ${(e as NodeJS.ErrnoException)?.code ?? (e as Error)?.message}`, { cause: e });
  }
}

export function readLabelsFile(path: string): string[] {
  const lines = new TextDecoder().decode(readInput(path, 'labels file')).split(/\r?\n/);
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

export function convertTfliteFile(inPath: string, outPath: string, options: ConvertTfliteOptions = {}): ConvertTfliteResult {
  const bytes = readInput(inPath, 'TFLite model');
  const labels = options.labelsPath === undefined ? undefined : readLabelsFile(options.labelsPath);
  const model = importTflite(bytes, { source: inPath, labels, preprocessing: options.preprocessing, uint8Weights: options.uint8Weights ?? 'keep' });
  const file = writeModel(model);
  try {
    writeFileSync(outPath, file);
  } catch (e) {
    throw new ConvertError('WRITE_FAILED', `${outPath}: cannot write the model: ${(e as NodeJS.ErrnoException)?.code ?? (e as Error)?.message}`, { cause: e });
  }
  const ops: Record<string, number> = {};
  for (const op of model.ops) ops[op.kind] = (ops[op.kind] ?? 0) + 1;
  const notes = Object.entries(model.metadata.extra ?? {}).filter(([k]) => k === 'tflite.uint8Weights').map(([k, v]) => `${k}: ${v}`);
  return { inPath, outPath, bytes: file.length, tensors: model.tensors.length, ops, notes };
}
