// `wasmq classify model.wasmq image.jpg [--top 5]`: one image through an image classifier, top classes with
// their labels. The image is resized to the model input; float inputs get the model's stored preprocessing,
// uint8/int8 inputs take the pixel bytes as the quantized values (as TFLite's image models do).
import type { Command } from 'commander';
import { loadModel } from '../../runtime/load.js';
import type { WasmqModel } from '../../runtime/loaded-model.js';
import { InputError } from '../../runtime/model-error.js';
import { readImageFile } from '../../convert/images/node.js';
import { resizeBilinear, toFloatTensor, toGrayscale, toQuantizedTensor } from '../../convert/images/index.js';
import type { InputData } from '../../runtime/session.js';
import { readBytes } from '../files.js';

export interface Ranked {
  index: number;
  label: string;
  score: number;
}

/** The model's input for one image file (NHWC, batch 1). */
export function imageInput(model: WasmqModel, file: string): InputData {
  const input = model.info.inputs[0];
  if (input.shape.length !== 4 || input.shape[0] !== 1) {
    throw new InputError('BAD_INPUT', `input '${input.name}' is ${input.shape.join('x')}; classify needs an NHWC image input with batch 1`);
  }
  const [, h, w, c] = input.shape;
  if (c !== 1 && c !== 3) throw new InputError('BAD_INPUT', `input '${input.name}' has ${c} channels; classify reads 1- or 3-channel images`);
  let img = resizeBilinear(readImageFile(file), w, h);
  if (c === 1) img = toGrayscale(img);
  if (input.dtype === 'uint8' || input.dtype === 'int8') return toQuantizedTensor(img, input.dtype).data;
  const pre = model.info.metadata.preprocessing;
  return toFloatTensor(img, { mean: pre?.mean, std: pre?.std, pixelScale: pre?.pixelScale ?? 1 / 255, layout: 'NHWC' }).data;
}

export async function classifyFile(modelPath: string, imagePath: string, top = 5): Promise<Ranked[]> {
  const model = await loadModel(await readBytes(modelPath));
  const session = await model.createSession();
  const out = await session.run({ [model.info.inputs[0].name]: imageInput(model, imagePath) });
  const scores = out[model.info.outputs[0].name] as Float32Array;
  const labels = model.info.metadata.labels;
  return Array.from(scores, (score, index) => ({ index, score, label: labels?.[index] ?? `class ${index}` }))
    .sort((a, b) => b.score - a.score || a.index - b.index)
    .slice(0, top);
}

export function registerClassify(program: Command): void {
  program
    .command('classify')
    .description('classify an image (png/jpg/bmp) with an image model; prints the top classes')
    .argument('<model>', 'a .wasmq image classifier')
    .argument('<image>', 'the image file')
    .option('--top <n>', 'how many classes to print', (v) => Number.parseInt(v, 10), 5)
    .action(async (model: string, image: string, opts: { top: number }) => {
      for (const r of await classifyFile(model, image, opts.top)) {
        console.log(`${r.score.toFixed(4).padStart(9)}  ${String(r.index).padStart(4)}  ${r.label}`);
      }
    });
}
