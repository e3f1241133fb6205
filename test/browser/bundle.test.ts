// The browser bundle in a real Chromium: it loads with nothing but its own two files, finds the wasm beside
// itself, reports the engine's features, and computes exactly what Node computes on the same model.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, requireWebBuild, SCREENSHOTS } from './chromium.js';
// @ts-expect-error: a plain .mjs script without types
import { startServer } from '../../scripts/serve-web.mjs';
import { loadModel } from '../../src/index.js';
import { writeModel } from '../../src/format/write.js';
import { GraphBuilder } from '../runtime/build.js';
import { prng, randomFloat32, randomInt8 } from '../ref/prng.js';

requireWebBuild();
let browser: Browser, page: Page, server: { url: string; close(): Promise<void> };

/** float32 -> Quantize -> FullyConnected (relu) -> Dequantize, seeded. */
function fcModel() {
  const rng = prng(11);
  const g = new GraphBuilder();
  const x = g.input('x', [2, 24], 'float32');
  const xq = g.tensor('xq', [2, 24], 'int8', { scale: 0.02, zeroPoint: 3 });
  g.op('Quantize', [x], [xq], {});
  const w = g.tensor('w', [9, 24], 'int8', { scale: 0.01 }, randomInt8(rng, 9 * 24, -127, 127));
  const y = g.tensor('y', [2, 9], 'int8', { scale: 0.05, zeroPoint: -128 });
  g.op('FullyConnected', [xq, w], [y], { activation: 'relu' });
  const out = g.tensor('out', [2, 9], 'float32');
  g.op('Dequantize', [y], [out], {});
  return { model: g.build(out), input: randomFloat32(rng, 48) };
}

test.before(async () => {
  server = await startServer({ port: 0 });
  browser = await launchChromium();
  page = await browser.newPage();
  // A blank page of the server's origin, so that module imports resolve against the served dist/web.
  await page.route('**/__test__.html', (route) => route.fulfill({ contentType: 'text/html', headers: { 'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp' }, body: '<!doctype html><title>wasmq test</title>' }));
  await page.goto(`${server.url}__test__.html`);
});

test.after(async () => {
  await browser?.close();
  await server?.close();
});

test('the bundle finds its wasm beside itself and reports SIMD', async () => {
  const f = await page.evaluate(async () => (await import('/wasmq.js' as string)).detectFeatures());
  assert.is(f.simd, true);
  assert.is(f.kernelBuild, 'simd128');
  assert.is(f.crossOriginIsolated, true); // the demo server sends COOP/COEP
});

test('a model runs in Chromium and gives the same bytes as in Node', async () => {
  const { model, input } = fcModel();
  const bytes = writeModel(model);
  const inNode = await (await (await loadModel(bytes)).createSession()).run({ x: input }, { raw: true });
  const inBrowser = await page.evaluate(async ({ bytes, input }) => {
    const wasmq = await import('/wasmq.js' as string);
    const session = await (await wasmq.loadModel(new Uint8Array(bytes))).createSession();
    const out = await session.run({ x: new Float32Array(input) }, { raw: true });
    return Array.from(out.out as Int8Array);
  }, { bytes: Array.from(bytes), input: Array.from(input) });
  assert.equal(inBrowser, Array.from(inNode.out as Int8Array));
});

test('a damaged model is a typed error in the browser too', async () => {
  const { model } = fcModel();
  const bytes = writeModel(model).slice(0, 100);
  const err = await page.evaluate(async (bytes) => {
    const wasmq = await import('/wasmq.js' as string);
    try {
      await wasmq.loadModel(new Uint8Array(bytes));
      return null;
    } catch (e) {
      return { name: (e as Error).name, code: (e as { code?: string }).code, isModelError: e instanceof wasmq.ModelError };
    }
  }, Array.from(bytes));
  assert.ok(err, 'loading a truncated model must fail');
  assert.is(err!.isModelError, true);
  assert.type(err!.code, 'string');
});

test('the demo page shows the feature report', async () => {
  await page.goto(`${server.url}index.html`);
  await page.waitForSelector('#features');
  assert.is(await page.getAttribute('#features', 'data-simd'), 'true');
  await page.screenshot({ path: path.join(SCREENSHOTS, 'features.png') });
});

test('the kernel benchmark page runs every quick case in the browser and fills the int8 vs f32 table', async () => {
  await page.goto(`${server.url}kernels.html`);
  await page.click('#run');
  await page.waitForSelector('#kernel-results[data-done="true"]', { timeout: 240_000 });
  const rows = await page.$$eval('#kernel-results tbody tr', (trs) => trs.map((tr) => ({
    kernel: (tr as HTMLElement).dataset.kernel, int8: Number((tr as HTMLElement).dataset.int8simd), f32: Number((tr as HTMLElement).dataset.f32simd),
  })));
  assert.ok(rows.length >= 5, `${rows.length} rows`);
  for (const r of rows) assert.ok(r.int8 > 0 || r.f32 > 0, `${r.kernel}: a measured rate`);
  assert.ok(rows.some((r) => r.kernel === 'pointwise' && r.int8 > 0 && r.f32 > 0), 'pointwise int8 next to its f32 twin');
  await page.screenshot({ path: path.join(SCREENSHOTS, 'kernels.png'), fullPage: true });
});

test.run();
