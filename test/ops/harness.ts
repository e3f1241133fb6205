// Runs a model through the public API and the reference interpreter and demands equal raw outputs.
import * as assert from 'uvu/assert';
import { loadModel } from '../../src/index.js';
import type { Model } from '../../src/format/model.js';
import { writeModel } from '../../src/format/write.js';
import { toInt8Model } from '../../src/runtime/normalize.js';
import { interpret, type Value } from '../ref/interpreter.js';
import { randomInt8, type Rng } from '../ref/prng.js';

export type Feed = Float32Array | Int8Array | Uint8Array;

/** Random data for each graph input: floats in [-1.2, 1.2], or raw 8-bit values. */
export function randomFeeds(model: Model, rng: Rng): Feed[] {
  return model.inputs.map((i) => {
    const t = model.tensors[i];
    const n = t.shape.reduce((a, b) => a * b, 1);
    if (t.dtype === 'float32') return Float32Array.from({ length: n }, () => Math.fround(2.4 * rng.float() - 1.2));
    const data = randomInt8(rng, n);
    return t.dtype === 'uint8' ? new Uint8Array(data.buffer) : data;
  });
}

/** The reference outputs, computed on the int8 form of the model (uint8 values shifted by 128, exactly). */
export function reference(model: Model, feeds: Feed[]): Feed[] {
  const asInt8 = feeds.map((f) => (f instanceof Uint8Array ? Int8Array.from(f, (v) => v - 128) : f));
  const values = interpret(toInt8Model(model), asInt8);
  return model.outputs.map((o) => {
    const v = values[o] as Value;
    return model.tensors[o].dtype === 'uint8' ? Uint8Array.from(v as Int8Array, (q) => q + 128) : v;
  });
}

/** Loads the model (as .wasmq bytes when `viaFile`), runs each feed set and compares raw outputs exactly. */
export async function expectMatchesReference(model: Model, feedSets: Feed[][], label: string, viaFile = false): Promise<void> {
  const session = await (await loadModel(viaFile ? writeModel(model) : model)).createSession();
  for (const [run, feeds] of feedSets.entries()) {
    const out = await session.run(Object.fromEntries(model.inputs.map((i, k) => [model.tensors[i].name, feeds[k]])), { raw: true });
    const want = reference(model, feeds);
    model.outputs.forEach((o, k) => {
      const name = model.tensors[o].name;
      const got = out[name];
      assert.is(got.constructor, want[k].constructor, `${label}: type of output '${name}'`);
      assert.is(got.length, want[k].length, `${label}: length of output '${name}'`);
      for (let i = 0; i < got.length; i++) {
        if (!Object.is(got[i], want[k][i])) assert.unreachable(`${label} run ${run}: output '${name}'[${i}] = ${got[i]}, reference ${want[k][i]}`);
      }
    });
  }
}
