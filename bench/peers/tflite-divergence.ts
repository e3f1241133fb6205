// Finds where wasmq and LiteRT.js part ways on a .tflite model, layer by layer.
//   npx tsx bench/peers/tflite-divergence.ts model.tflite photo.(bmp|jpg|png) [--all] [--symmetric-weights]
// LiteRT.js only returns a graph's (non-int8) outputs, so each op's output is exposed in turn by patching a copy
// of the .tflite file (expose-tensor.ts); on the wasmq side the imported Model's `outputs` is set to the same
// tensor. Both run the same input and the tool
// prints, per op, the largest difference in LSB of that op's output and how many elements differ. Stops at the
// first op that differs unless --all.
import { readFileSync } from 'node:fs';
import { createLiteRtPeer } from './litert.js';
import { importTflite, type TfliteImportOptions } from '../../src/convert/tflite/import.js';
import { readTflite } from '../../src/convert/tflite/schema.js';
import { exposeTensor } from './expose-tensor.js';
import { builtinName } from '../../src/convert/tflite/builtin-ops.js';
import { loadModel } from '../../src/index.js';
import { readImageFile } from '../../src/convert/images/node.js';
import { resizeBilinear } from '../../src/convert/images/resize.js';

export interface LayerDiff {
  op: number;
  builtin: string;
  tensor: string;
  maxDiff: number;
  differing: number;
  elements: number;
}

/** Compares every op's output (in execution order) of `bytes` between wasmq and LiteRT.js on one uint8 input. */
export async function layerDiffs(bytes: Uint8Array, input: Uint8Array, opts: { all?: boolean; onLayer?: (d: LayerDiff) => void; importOptions?: TfliteImportOptions } = {}): Promise<LayerDiff[]> {
  const tfl = readTflite(bytes);
  const g = tfl.subgraphs[0];
  const model = importTflite(bytes, opts.importOptions);
  const peer = await createLiteRtPeer();
  const inputShape = g.tensors[g.inputs[0]].shape;
  const result: LayerDiff[] = [];
  for (let i = 0; i < g.operators.length; i++) {
    const op = g.operators[i];
    const t = op.outputs[0];
    const name = g.tensors[t].name;
    const ours = model.tensors.findIndex((d) => d.name === name);
    if (ours < 0) continue;
    const exposed = exposeTensor(bytes, t, tfl);
    await peer.load(exposed.bytes);
    const ref = exposed.decode((await peer.run(input, inputShape))[0]);
    const wq = await loadModel({ ...model, outputs: [ours] });
    const session = await wq.createSession();
    const out = (await session.run({ [session.inputNames[0]]: input }, { raw: true }))[session.outputNames[0]];
    session.release();
    let maxDiff = 0, differing = 0;
    for (let k = 0; k < ref.length; k++) {
      const d = Math.abs(out[k] - ref[k]);
      if (d > 0) differing++;
      maxDiff = Math.max(maxDiff, d);
    }
    const diff = { op: i, builtin: builtinName(tfl.operatorCodes[op.opcodeIndex].builtinCode), tensor: name, maxDiff, differing, elements: ref.length };
    result.push(diff);
    opts.onLayer?.(diff);
    if (maxDiff > 0 && !opts.all) break;
  }
  peer.dispose();
  return result;
}

const isMain = process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/^.*[\\/]/, ''));
if (isMain) {
  const [modelPath, photoPath] = process.argv.slice(2).filter((a) => !a.startsWith('--'));
  if (!modelPath || !photoPath) {
    console.error('usage: tsx bench/peers/tflite-divergence.ts model.tflite photo [--all] [--symmetric-weights]');
    process.exit(2);
  }
  const bytes = new Uint8Array(readFileSync(modelPath));
  const shape = readTflite(bytes).subgraphs[0];
  const [, h, w] = shape.tensors[shape.inputs[0]].shape;
  const img = resizeBilinear(readImageFile(photoPath), w, h);
  await layerDiffs(bytes, img.data, {
    all: process.argv.includes('--all'),
    importOptions: { uint8Weights: process.argv.includes('--symmetric-weights') ? 'symmetric-int8' : 'keep' },
    onLayer: (d) => console.log(`op ${String(d.op).padStart(3)} ${d.builtin.padEnd(18)} max |diff| ${String(d.maxDiff).padStart(3)} LSB, ${d.differing}/${d.elements} differ  ${d.tensor.split(';')[0]}`),
  });
}
