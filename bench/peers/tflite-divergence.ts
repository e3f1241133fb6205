// Finds where wasmq and LiteRT.js part ways on a .tflite model, layer by layer.
//   npx tsx bench/peers/tflite-divergence.ts model.tflite photo.(bmp|jpg|png) [--all] [--isolated] [--symmetric-weights]
// LiteRT.js only returns a graph's (non-int8) outputs, so each op's output is exposed in turn by patching a copy
// of the .tflite file (expose-tensor.ts); on the wasmq side the imported Model's `outputs` is set to the same
// tensor. Both run the same input and the tool
// prints, per op, the largest difference in LSB of that op's output and how many elements differ. Stops at the
// first op that differs unless --all. With --isolated, wasmq runs each op alone on LiteRT's values of its
// inputs: the op's own disagreement, without the accumulated differences of the layers before it.
import { readFileSync } from 'node:fs';
import { createLiteRtPeer } from './litert.js';
import { importTflite, type TfliteImportOptions } from '../../src/convert/tflite/import.js';
import { readTflite } from '../../src/convert/tflite/schema.js';
import { exposeTensor } from './expose-tensor.js';
import { builtinName } from '../../src/convert/tflite/builtin-ops.js';
import { loadModel } from '../../src/index.js';
import type { Model, OpDef } from '../../src/format/model.js';
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

type Values = Uint8Array | Int8Array | Float32Array | Int32Array;

/** A Model holding only op `index` of `model`: its activation inputs become the graph inputs. */
function singleOpModel(model: Model, index: number): Model {
  const op = model.ops[index];
  const used = [...new Set([...op.inputs, ...op.outputs])];
  const remap = new Map(used.map((t, k) => [t, k]));
  const buffers: Uint8Array[] = [];
  const tensors = used.map((t) => {
    const d = { ...model.tensors[t] };
    if (d.buffer !== undefined) d.buffer = buffers.push(model.buffers[d.buffer]) - 1;
    return d;
  });
  const inputs = [...new Set(op.inputs)].filter((t) => model.tensors[t].buffer === undefined).map((t) => remap.get(t)!);
  return {
    ...model,
    tensors,
    buffers,
    ops: [{ ...op, inputs: op.inputs.map((t) => remap.get(t)!), outputs: op.outputs.map((t) => remap.get(t)!) } as OpDef],
    inputs,
    outputs: op.outputs.map((t) => remap.get(t)!),
  };
}

/**
 * Compares every op's output (in execution order) between wasmq and LiteRT.js on one uint8 input. Chained
 * (default): both run the whole model up to that op, so differences accumulate. Isolated: wasmq runs that op
 * alone on LiteRT's own values of the op's inputs, so each row shows that op's own disagreement.
 */
export async function layerDiffs(bytes: Uint8Array, input: Uint8Array, opts: { all?: boolean; isolated?: boolean; /** compare only the first `ops` ops */ ops?: number; onLayer?: (d: LayerDiff) => void; importOptions?: TfliteImportOptions } = {}): Promise<LayerDiff[]> {
  const tfl = readTflite(bytes);
  const g = tfl.subgraphs[0];
  const model = importTflite(bytes, opts.importOptions);
  const tflIndex = new Map(g.tensors.map((t, i) => [t.name || `t${i}`, i]));
  const peer = await createLiteRtPeer();
  const inputShape = g.tensors[g.inputs[0]].shape;
  const liteRtValues = new Map<number, Values>([[g.inputs[0], input]]);
  const liteRt = async (t: number): Promise<Values> => {
    let v = liteRtValues.get(t);
    if (!v) {
      const exposed = exposeTensor(bytes, t, tfl);
      await peer.load(exposed.bytes);
      v = exposed.decode((await peer.run(input, inputShape))[0]);
      liteRtValues.set(t, v);
    }
    return v;
  };
  const result: LayerDiff[] = [];
  for (let i = 0; i < Math.min(g.operators.length, opts.ops ?? Infinity); i++) {
    const t = g.operators[i].outputs[0];
    const name = g.tensors[t].name;
    const ours = model.tensors.findIndex((d) => d.name === name);
    if (ours < 0) continue;
    const ref = await liteRt(t);
    let out: Values;
    if (opts.isolated) {
      const single = singleOpModel(model, i);
      const session = await (await loadModel(single)).createSession();
      const feeds: Record<string, Uint8Array | Int8Array | Float32Array> = {};
      for (const [k, name] of session.inputNames.entries()) {
        const v = await liteRt(tflIndex.get(single.tensors[single.inputs[k]].name)!);
        feeds[name] = v as Uint8Array | Int8Array | Float32Array;
      }
      out = (await session.run(feeds, { raw: true }))[session.outputNames[0]];
      session.release();
    } else {
      const session = await (await loadModel({ ...model, outputs: [ours] })).createSession();
      out = (await session.run({ [session.inputNames[0]]: input }, { raw: true }))[session.outputNames[0]];
      session.release();
    }
    let maxDiff = 0, differing = 0;
    for (let k = 0; k < ref.length; k++) {
      const d = Math.abs(out[k] - ref[k]);
      if (d > 0) differing++;
      maxDiff = Math.max(maxDiff, d);
    }
    const diff = { op: i, builtin: builtinName(tfl.operatorCodes[g.operators[i].opcodeIndex].builtinCode), tensor: name, maxDiff, differing, elements: ref.length };
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
    console.error('usage: tsx bench/peers/tflite-divergence.ts model.tflite photo [--all] [--isolated] [--symmetric-weights]');
    process.exit(2);
  }
  const bytes = new Uint8Array(readFileSync(modelPath));
  const shape = readTflite(bytes).subgraphs[0];
  const [, h, w] = shape.tensors[shape.inputs[0]].shape;
  const img = resizeBilinear(readImageFile(photoPath), w, h);
  await layerDiffs(bytes, img.data, {
    all: process.argv.includes('--all'),
    isolated: process.argv.includes('--isolated'),
    importOptions: { uint8Weights: process.argv.includes('--symmetric-weights') ? 'symmetric-int8' : 'keep' },
    onLayer: (d) => console.log(`op ${String(d.op).padStart(3)} ${d.builtin.padEnd(18)} max |diff| ${String(d.maxDiff).padStart(3)} LSB, ${d.differing}/${d.elements} differ  ${d.tensor.split(';')[0]}`),
  });
}
