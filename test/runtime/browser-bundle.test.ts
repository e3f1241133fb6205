// The public API is browser-safe: bundled for the browser it has no Node imports, and the bundle runs a model
// when given the kernel bytes (as a page would after fetching them).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { GraphBuilder } from './build.js';

test('src/index.ts bundles for the browser without Node imports and runs a model from wasm bytes', async () => {
  const result = await build({ entryPoints: ['src/index.ts'], bundle: true, platform: 'browser', format: 'esm', write: false, logLevel: 'silent' });
  assert.is(result.errors.length, 0);
  const code = result.outputFiles[0].text;
  assert.not.match(code, /(from|require\(|import\()\s*["']node:/, 'no static Node import');
  const dir = mkdtempSync(join(tmpdir(), 'wasmq-bundle-'));
  try {
    const file = join(dir, 'wasmq.mjs');
    writeFileSync(file, code);
    const api = await import(pathToFileURL(file).href);
    const g = new GraphBuilder();
    const x = g.input('x', [6], 'float32');
    const q = g.tensor('q', [6], 'int8', { scale: 0.5, zeroPoint: 3 });
    const y = g.tensor('y', [6], 'float32');
    g.op('Quantize', [x], [q], {});
    g.op('Dequantize', [q], [y], {});
    const model = await api.loadModel(g.build(y), { wasm: new Uint8Array(readFileSync('build/wasmq.wasm')) });
    const out = await (await model.createSession()).run({ x: Float32Array.of(0, 0.26, -1, 100, -100, 1.74) });
    assert.equal(Array.from(out.y), [0, 0.5, -1, 62, -65.5, 1.5]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
