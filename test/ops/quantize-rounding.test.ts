// Quantize's rounding option on exact ties, through the file format and the runtime: ONNX QuantizeLinear rounds
// half to even, TFLite QUANTIZE (and a Quantize without the option) half away from zero.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { loadModel } from '../../src/index.js';
import type { Rounding } from '../../src/format/model.js';
import { readModel, writeModel } from '../../src/format/index.js';
import { GraphBuilder } from '../runtime/build.js';

const TIES = Float32Array.from([2.5, -2.5, 0.5, -0.5, 1.5, -1.5, 3.5, 126.5, -127.5, 2.4, 2.6]);
const HALF_AWAY = [3, -3, 1, -1, 2, -2, 4, 127, -128, 2, 3];
const HALF_EVEN = [2, -2, 0, 0, 2, -2, 4, 126, -128, 2, 3];

function quantizeModel(rounding?: Rounding) {
  const g = new GraphBuilder();
  const x = g.input('x', [TIES.length], 'float32');
  const y = g.tensor('y', [TIES.length], 'int8', { scale: 1, zeroPoint: 0 });
  g.op('Quantize', [x], [y], rounding ? { rounding } : {});
  return g.build(y);
}

async function run(rounding: Rounding | undefined, viaFile: boolean): Promise<number[]> {
  const m = quantizeModel(rounding);
  const session = await (await loadModel(viaFile ? writeModel(m) : m)).createSession();
  const out = await session.run({ x: TIES }, { raw: true });
  return Array.from(out.y as Int8Array);
}

for (const viaFile of [false, true]) {
  const how = viaFile ? 'from a .wasmq file' : 'in memory';
  test(`${how}: 2.5 / scale 1 is 2 with half-even, 3 with half-away and by default`, async () => {
    assert.equal(await run('half-even', viaFile), HALF_EVEN);
    assert.equal(await run('half-away', viaFile), HALF_AWAY);
    assert.equal(await run(undefined, viaFile), HALF_AWAY);
  });
}

test('the rounding survives write -> read; the default reads back as no option', () => {
  assert.equal(readModel(writeModel(quantizeModel('half-even'))).ops[0]!.options, { rounding: 'half-even' });
  assert.equal(readModel(writeModel(quantizeModel())).ops[0]!.options, {});
  assert.equal(readModel(writeModel(quantizeModel('half-away'))).ops[0]!.options, {});
});

test('an unknown rounding is refused by name', async () => {
  const m = quantizeModel();
  (m.ops[0]!.options as Record<string, unknown>).rounding = 'half-up';
  try {
    await loadModel(m);
    assert.unreachable('loaded');
  } catch (e) {
    assert.match(String((e as Error).message), /rounding = half-up/);
  }
});

test.run();
