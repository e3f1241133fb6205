import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { detectFeatures } from '../../src/runtime/features.js';

test('Node 20 reports SIMD and the simd128 kernel build', () => {
  const f = detectFeatures();
  assert.ok(f.simd);
  assert.is(f.kernelBuild, 'simd128');
});

const probe = `import('./src/runtime/features.ts').then(m => console.log(JSON.stringify(m.detectFeatures())))`;
const run = (flags: string[]) => JSON.parse(spawnSync(process.execPath, [...flags, '--import', 'tsx', '-e', probe], { encoding: 'utf8' }).stdout);

test('the relaxed-SIMD probe tells an engine with relaxed SIMD from one without', () => {
  assert.is(run([]).relaxedSimd, false); // Node 20: behind a flag
  assert.is(run(['--experimental-wasm-relaxed-simd']).relaxedSimd, true);
});

test.run();
