// End to end: float ONNX (the import tests' models, which cover every supported op) → convert with calibration →
// int8 run by the runtime, compared with onnxruntime's float output on fresh inputs from the same distribution.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { convert, calibrate, quantizeCalibrated } from '../../src/convert/convert.js';
import { ConvertError } from '../../src/convert/errors.js';
import { CALIBRATION_METHODS } from '../../src/convert/calibrate/methods.js';
import { loadModel } from '../../src/index.js';
import { readModel } from '../../src/format/read.js';
import { prng } from '../ref/prng.js';
import { cases, type Case } from './onnx/cases.js';
import { randomInput, runOrt, toNHWC } from './onnx/helpers.js';

/** Models whose output is a pure function the int8 grid represents well (no legacy Pad values etc.). */
const SQNR_DB = 20; // int8 end to end on small random graphs: noise power under 1% of the signal (a wrong kernel gives ~0 dB)
const CALIB = 64, TEST = 32;

function feedsOf(c: Case, seed: number, n: number) {
  const rng = prng(seed);
  return Array.from({ length: n }, () => Object.fromEntries(Object.entries(c.inputs).map(([k, dims]) => [k, randomInput(rng, dims)])));
}

/** SQNR (dB) of the runtime's output against onnxruntime's over `n` fresh inputs. */
async function sqnrAgainstOrt(c: Case, bytes: Uint8Array): Promise<number> {
  const model = await loadModel(bytes);
  const session = await model.createSession();
  let signal = 0, noise = 0;
  for (const feed of feedsOf(c, 99, TEST)) {
    const want = await runOrt(c.bytes, feed);
    const feeds = Object.fromEntries(Object.entries(feed).map(([k, v]) => [k, v.dims.length === 4 ? toNHWC(v.data, v.dims) : v.data]));
    const got = await session.run(feeds);
    for (const out of model.info.outputs) {
      const s = out.shape;
      const ref = s.length === 4 ? toNHWC(want[out.name], [s[0], s[3], s[1], s[2]]) : want[out.name];
      const y = got[out.name] as Float32Array;
      for (let i = 0; i < ref.length; i++) { signal += ref[i] * ref[i]; noise += (ref[i] - y[i]) ** 2; }
    }
  }
  return noise === 0 ? Infinity : 10 * Math.log10(signal / noise);
}

const calibration = (c: Case) => feedsOf(c, 7, CALIB).map((f) => Object.fromEntries(Object.entries(f).map(([k, v]) => [k, v.data])));

/** Ops the int8 runtime does not have a form for: the converter must refuse these with a typed error. */
// (Clip to other bounds, HardSigmoid, non-zero pad values, reshapes that need a real
// transpose of a 4-D map)
const REFUSED = /hardsigmoid|clip attrs|pad attrs \(opset 9\) with a value|shape arithmetic/;

for (const c of cases()) {
  if (REFUSED.test(c.name)) {
    test(`refused with a typed error: ${c.name}`, async () => {
      try {
        await convert(c.bytes, calibration(c));
        assert.unreachable('should not convert');
      } catch (e) {
        if (!(e instanceof ConvertError)) throw e;
        assert.match(e.message, /node|tensor|op/);
      }
    });
    continue;
  }
  test(`int8 within ${SQNR_DB} dB of onnxruntime: ${c.name}`, async () => {
    const { bytes, report } = await convert(c.bytes, calibration(c));
    const db = await sqnrAgainstOrt(c, bytes);
    assert.ok(db >= SQNR_DB, `${c.name}: SQNR ${db.toFixed(1)} dB < ${SQNR_DB} dB`);
    assert.is(report.calibrationSamples, CALIB);
    for (let i = 1; i < report.layers.length; i++) assert.ok(report.layers[i - 1].sqnrDb <= report.layers[i].sqnrDb, 'layers sorted worst first');
  });
}

test('classifier: int8 top-1 agrees with onnxruntime float on at least 90% of fresh inputs', async () => {
  const c = cases().find((k) => k.name.startsWith('global average pool + flatten + gemm'))!;
  const { bytes } = await convert(c.bytes, calibration(c));
  const model = await loadModel(bytes);
  const session = await model.createSession();
  const argmax = (a: ArrayLike<number>) => { let b = 0; for (let i = 1; i < a.length; i++) if (a[i] > a[b]) b = i; return b; };
  let agree = 0;
  const feeds = feedsOf(c, 123, 100);
  for (const feed of feeds) {
    const want = await runOrt(c.bytes, feed);
    const got = await session.run(Object.fromEntries(Object.entries(feed).map(([k, v]) => [k, v.dims.length === 4 ? toNHWC(v.data, v.dims) : v.data])));
    const name = model.info.outputs[0].name;
    if (argmax(got[name] as Float32Array) === argmax(want[name])) agree++;
  }
  assert.ok(agree >= 90, `top-1 agreement ${agree}/100`);
});

const convBnRelu = () => cases().find((c) => c.name.startsWith('conv + batchnorm + relu'))!;

test('weight-only models need no samples, keep float activations and stay close to float', async () => {
  const c = convBnRelu();
  const { bytes, model, report } = await convert(c.bytes, [], { weightsOnly: true });
  assert.is(report.method, 'weights-only');
  assert.ok(model.tensors.some((t) => t.dtype === 'int8' && t.buffer !== undefined));
  assert.ok(model.tensors.filter((t) => t.buffer === undefined).every((t) => t.dtype === 'float32'));
  assert.ok((await sqnrAgainstOrt(c, bytes)) >= 35);
});

test('no samples without an explicit random flag is a typed error; random calibration is recorded as such', async () => {
  const c = convBnRelu();
  try {
    await convert(c.bytes, []);
    assert.unreachable();
  } catch (e) {
    assert.instance(e, ConvertError);
    assert.is((e as ConvertError).code, 'CALIBRATION');
  }
  const { bytes, report } = await convert(c.bytes, [], { randomCalibration: 8 });
  assert.is(report.randomCalibration, true);
  assert.match(readModel(bytes).metadata.calibrationMethod ?? '', 'random');
});

test('mis-shaped samples name the input and the expected shape', async () => {
  const c = convBnRelu();
  try {
    await convert(c.bytes, [{ x: new Float32Array(5) }]);
    assert.unreachable();
  } catch (e) {
    assert.instance(e, ConvertError);
    assert.match((e as Error).message, "input 'x'");
  }
});

test('every calibration method and per-tensor weights produce a runnable model from one calibration pass', async () => {
  const c = cases().find((k) => k.name.startsWith('global average pool'))!;
  const calibrated = await calibrate(c.bytes, calibration(c));
  for (const method of CALIBRATION_METHODS) {
    for (const perChannel of [true, false]) {
      const model = quantizeCalibrated(calibrated, method, { perChannel });
      const loaded = await loadModel(model);
      const s = await loaded.createSession();
      const [feed] = feedsOf(c, 3, 1);
      const out = (await s.run(Object.fromEntries(Object.entries(feed).map(([k, v]) => [k, v.dims.length === 4 ? toNHWC(v.data, v.dims) : v.data])))) as Record<string, Float32Array>;
      const y = out[loaded.info.outputs[0].name];
      assert.ok(Math.abs(y.reduce((a, b) => a + b, 0) - 1) < 0.05, `${method}: softmax output sums to ~1`);
      assert.is(model.metadata.calibrationMethod, method);
    }
  }
});

test.run();
