// `wasmq export-onnx model.wasmq -o model.onnx`: the quantized model as ONNX QDQ (opset 13, NCHW float input),
// so that onnxruntime and other runtimes execute exactly wasmq's quantization (see convert/onnx/export.ts).
import type { Command } from 'commander';
import { readModel } from '../../format/read.js';
import { exportOnnx } from '../../convert/onnx/export.js';
import { readBytes, writeBytes } from '../files.js';

export interface ExportOnnxResult {
  outPath: string;
  bytes: number;
  nodes: number;
}

export async function exportOnnxFile(inPath: string, outPath: string): Promise<ExportOnnxResult> {
  const model = readModel(await readBytes(inPath));
  const onnx = exportOnnx(model);
  await writeBytes(outPath, onnx);
  return { outPath, bytes: onnx.length, nodes: model.ops.length };
}

export function registerExportOnnx(program: Command): void {
  program
    .command('export-onnx')
    .description('write a .wasmq model as ONNX QDQ (opset 13, NCHW float input) for other runtimes')
    .argument('<model>', '.wasmq file')
    .requiredOption('-o, --output <file>', 'the .onnx file to write')
    .action(async (model: string, opts: { output: string }) => {
      const r = await exportOnnxFile(model, opts.output);
      process.stdout.write(`wrote ${r.outPath}: ${r.bytes.toLocaleString('en-US')} bytes, ${r.nodes} wasmq ops as ONNX QDQ (opset 13)\n`);
    });
}
