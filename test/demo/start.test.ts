// The main job (`npm start`) on the bundled model: int8 keeps the float accuracy on the 2,000 held-out digits,
// the two agree, and the .wasmq files are written where the report says.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { start } from '../../src/demo/start.js';
import { readDigitsCard } from '../../src/demo/model-card.js';
import { readModel } from '../../src/format/read.js';

const out = mkdtempSync(path.join(tmpdir(), 'wasmq-start-'));
const r = await start({ quiet: true, outDir: out });

test('float accuracy in wasmq equals what PyTorch measured for the bundled model', () => {
  assert.ok(Math.abs(r.float.accuracy - readDigitsCard().heldOutAccuracy) <= 0.002, `float ${r.float.accuracy}`);
});

test('int8 accuracy is within 0.3 points of float, and the two agree on at least 99% of digits', () => {
  assert.ok(r.float.accuracy - r.int8.accuracy <= 0.003, `int8 ${r.int8.accuracy} vs float ${r.float.accuracy}`);
  const agree = r.int8.predictions.filter((p, i) => p === r.float.predictions[i]).length / r.int8.predictions.length;
  assert.ok(agree >= 0.99, `agreement ${agree}`);
});

test('the int8 and float models are written, verified, and the int8 file is at least 3.5x smaller (issue #5)', () => {
  assert.ok(existsSync(r.int8Path) && existsSync(r.floatPath));
  const int8 = readModel(readFileSync(r.int8Path)), float = readModel(readFileSync(r.floatPath));
  assert.ok(int8.tensors.some((t) => t.dtype === 'int8' && t.buffer !== undefined));
  assert.ok(float.tensors.every((t) => t.dtype === 'float32'));
  assert.equal(int8.metadata.labels, readDigitsCard().labels);
  const ratio = readFileSync(r.floatPath).length / readFileSync(r.int8Path).length;
  assert.ok(ratio >= 3.5, `float / int8 file size ${ratio.toFixed(3)}`);
});

test.after(() => rmSync(out, { recursive: true, force: true }));

test.run();
