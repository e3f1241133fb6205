import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { importOnnx } from '../../../src/convert/onnx/import.js';
import { execute } from '../../../src/convert/ir/execute.js';
import { prng } from '../../ref/prng.js';
import { cases } from './cases.js';
import { assertClose, randomInput, runOrt } from './helpers.js';

// Imported graphs (NCHW, no passes) run by the float32 reference executor match onnxruntime within 1e-5
// (relative to the output's magnitude, absolute below 1): both round to float32 after every op.
const TOL = 1e-5;

for (const c of cases()) {
  test(`imported: ${c.name}`, async () => {
    const rng = prng(c.name.length);
    const inputs = Object.fromEntries(Object.entries(c.inputs).map(([k, dims]) => [k, randomInput(rng, dims)]));
    const want = await runOrt(c.bytes, inputs);
    const g = importOnnx(c.bytes);
    const got = execute(g, Object.fromEntries(Object.entries(inputs).map(([k, v]) => [k, v.data])));
    for (const name of g.outputs) {
      assert.equal(g.tensors.get(name)!.shape!.reduce((a, d) => a * d, 1), want[name].length, `${name} shape`);
      assertClose(got[name], want[name], TOL, name);
    }
  });
}

test('float64 precision agrees with float32 and keeps intermediate tensors on request', () => {
  const c = cases().find((k) => k.name.startsWith('conv + batchnorm'))!;
  const g = importOnnx(c.bytes);
  const x = randomInput(prng(1), c.inputs.x).data;
  const f32 = execute(g, { x }, { keep: ['c'] }), f64 = execute(g, { x }, { precision: 'float64', keep: ['c'] });
  assert.instance(f64.y, Float64Array);
  assert.instance(f32.c, Float32Array);
  assertClose(f32.y, f64.y, 1e-6, 'y');
  assertClose(f32.c, f64.c, 1e-6, 'kept conv output');
});

test.run();
