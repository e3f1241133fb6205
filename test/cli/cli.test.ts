import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, mkdtempSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { writeModel } from '../../src/format/write.js';
import { loadModel, InputError, WasmqError } from '../../src/index.js';
import { readNpy, writeNpy } from '../../src/cli/npy.js';
import { inspectFile } from '../../src/cli/commands/inspect.js';
import { runFile } from '../../src/cli/commands/run.js';
import { GraphBuilder } from '../runtime/build.js';
import { prng, randomFloat32, randomInt8, randomInt32 } from '../ref/prng.js';

const dir = mkdtempSync(join(tmpdir(), 'wasmq-cli-'));
const path = (name: string) => join(dir, name);

/** image [1,2,2,3] float -> Quantize -> FullyConnected [4] -> Dequantize, with labels. */
function classifier() {
  const rng = prng(11);
  const g = new GraphBuilder();
  const x = g.input('image', [1, 2, 2, 3], 'float32');
  const q = g.tensor('image/q', [1, 2, 2, 3], 'int8', { scale: 0.02, zeroPoint: 1 });
  const w = g.tensor('fc/w', [4, 12], 'int8', { scale: [0.01, 0.02, 0.015, 0.03], axis: 0 }, randomInt8(rng, 48, -127, 127));
  const b = g.tensor('fc/b', [4], 'int32', { scale: [0.0002, 0.0004, 0.0003, 0.0006], axis: 0 }, randomInt32(rng, 4, -500, 500));
  const l = g.tensor('logits/q', [1, 4], 'int8', { scale: 0.05, zeroPoint: -2 });
  const y = g.tensor('logits', [1, 4], 'float32');
  g.op('Quantize', [x], [q], {});
  g.op('FullyConnected', [q, w, b], [l], { activation: 'none' }, 'fc');
  g.op('Dequantize', [l], [y], {});
  const model = g.build(y);
  model.metadata = { producer: 'cli test', labels: ['cat', 'dog', 'bird', 'fish'] };
  return model;
}

const modelPath = path('classifier.wasmq');
writeFileSync(modelPath, writeModel(classifier()));
const image = randomFloat32(prng(4), 12);
writeFileSync(path('x.npy'), writeNpy(image, [1, 2, 2, 3]));

test('inspect prints the file size, ops, tensors, quantization and memory plan', async () => {
  const report = await inspectFile(modelPath);
  const size = readFileSync(modelPath).byteLength;
  const model = await loadModel(readFileSync(modelPath));
  assert.match(report, `${size.toLocaleString('en-US')} B`);
  assert.match(report, "producer 'cli test'");
  assert.match(report, /ops: 3 \(1 Quantize, 1 FullyConnected, 1 Dequantize\)/);
  assert.match(report, /fc\/w\s+\[4,12\]\s+int8\s+4 scales on axis 0 in \[0\.01000, 0\.03000\]\s+constant, buffer 0 \(48 B\)/);
  assert.match(report, /image\/q\s+\[1,2,2,3\]\s+int8\s+scale 0\.0200000 zp 1\s+arena @\d+ \+12 live 0\.\.1/);
  assert.match(report, `arena ${model.info.memory.arenaBytes} B per session, lower bound ${model.info.memory.arenaLowerBound} B`);
  assert.match(report, `packed weights: ${model.info.memory.weightBytes.toLocaleString('en-US')} B`);
  assert.match(report, 'labels: 4 (cat, dog, bird, ...)');
});

test('inspect --json gives the same facts to scripts', async () => {
  const info = JSON.parse(await inspectFile(modelPath, { json: true }));
  const model = await loadModel(readFileSync(modelPath));
  assert.is(info.fileBytes, readFileSync(modelPath).byteLength);
  assert.equal(info.ops.map((o: { kind: string }) => o.kind), ['Quantize', 'FullyConnected', 'Dequantize']);
  assert.equal(info.tensors[2], { index: 2, name: 'fc/w', shape: [4, 12], dtype: 'int8', quantization: { scales: Array.from(Float32Array.of(0.01, 0.02, 0.015, 0.03)), zeroPoints: [0, 0, 0, 0], axis: 0 }, buffer: 0, bytes: 48 });
  assert.equal(info.memory, JSON.parse(JSON.stringify(model.info.memory)));
  assert.equal(info.metadata.labels, ['cat', 'dog', 'bird', 'fish']);
});

test('run writes the outputs the API computes, as .npy, and prints the top classes', async () => {
  const report = await runFile(modelPath, { input: [path('x.npy')], output: [path('y.npy')], top: 2 });
  const session = await (await loadModel(readFileSync(modelPath))).createSession();
  const expected = (await session.run({ image })).logits as Float32Array;
  const written = readNpy(readFileSync(path('y.npy')));
  assert.equal(written.shape, [1, 4]);
  assert.instance(written.data, Float32Array);
  assert.equal(Array.from(written.data), Array.from(expected));
  const best = Array.from(expected.keys()).sort((a, b) => expected[b] - expected[a] || a - b)[0];
  assert.match(report, new RegExp(`\\n\\s+${best}\\s+\\S+\\s+${['cat', 'dog', 'bird', 'fish'][best]}`));
  assert.match(report, /ran 3 ops in/);

  await runFile(modelPath, { input: [`image=${path('x.npy')}`], output: [`logits=${path('raw.npy')}`], raw: false });
  assert.equal(Array.from(readNpy(readFileSync(path('raw.npy'))).data), Array.from(expected));
  const profiled = await runFile(modelPath, { input: [path('x.npy')], profile: true });
  assert.match(profiled, /per-op times[^\n]*\n\s+0\s+Quantize[^\n]*\n\s+1\s+FullyConnected\s+[\d.]+ ms\s+fc\n\s+2\s+Dequantize/);
});

test('run rejects unusable inputs with typed errors', async () => {
  writeFileSync(path('i32.npy'), writeNpy(new Int32Array(12), [12]));
  writeFileSync(path('short.npy'), writeNpy(new Float32Array(5), [5]));
  for (const [input, pattern] of [
    [[path('i32.npy')], /int32 arrays cannot be fed/],
    [[path('short.npy')], /short\.npy: shape \(5\) has 5 values; input 'image' \[1,2,2,3\] needs 12/],
    [[path('x.npy'), path('x.npy')], /2 input files for 1 inputs/],
    [[], /missing input 'image'/],
  ] as const) {
    try {
      await runFile(modelPath, { input: [...input] });
      assert.unreachable('expected BAD_INPUT');
    } catch (e) {
      assert.instance(e, InputError);
      assert.is((e as WasmqError).code, 'BAD_INPUT');
      assert.match((e as Error).message, pattern);
    }
  }
});

test('the wasmq command: dispatches, prints typed errors and exits 1', () => {
  const cli = (...args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { encoding: 'utf8' });
  const ok = cli('run', modelPath, '--input', path('x.npy'), '--output', path('z.npy'));
  assert.is(ok.status, 0, ok.stderr);
  assert.equal(readNpy(readFileSync(path('z.npy'))).data, readNpy(readFileSync(path('y.npy'))).data);
  const missing = cli('inspect', path('nope.wasmq'));
  assert.is(missing.status, 1);
  assert.match(missing.stderr, /^wasmq: FILE_NOT_READABLE: cannot read .*nope\.wasmq/);
  writeFileSync(path('junk.wasmq'), new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9]));
  const junk = cli('inspect', path('junk.wasmq'));
  assert.is(junk.status, 1);
  assert.match(junk.stderr, /^wasmq: [A-Z_]+: /);
  const help = cli('--help');
  assert.is(help.status, 0);
  assert.match(help.stdout, /inspect \[options\] <model>/);
  assert.match(help.stdout, /run \[options\] <model>/);
});

test('bin/wasmq.js runs the compiled CLI, which finds the packaged kernels from dist/', () => {
  if (!existsSync('dist/src/cli/main.js')) {
    console.log('[skip] cli: dist/ is absent (npm run build:ts compiles it)');
    return;
  }
  const r = spawnSync(process.execPath, ['bin/wasmq.js', 'inspect', modelPath], { encoding: 'utf8' });
  assert.is(r.status, 0, r.stderr);
  assert.match(r.stdout, /memory plan: arena \d/);
});

test.after(() => rmSync(dir, { recursive: true, force: true }));

test.run();
