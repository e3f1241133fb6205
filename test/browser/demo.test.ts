// The digit demo in a real Chromium: the page loads the int8 and float models that `npm start` writes, a
// held-out digit uploaded as a PNG (and a stroke drawn with the mouse) is classified correctly, int8 and float
// agree, and the page shows latencies and sizes. Screenshots go to out/screenshots/.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import path from 'node:path';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { PNG } from 'pngjs';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, requireWebBuild, SCREENSHOTS } from './chromium.js';
// @ts-expect-error: a plain .mjs script without types
import { startServer } from '../../scripts/serve-web.mjs';
import { convertBundledDigits } from '../../src/demo/start.js';
import { heldOutDigits, DIGIT_SIDE } from '../../src/demo/digits.js';

requireWebBuild();
await convertBundledDigits({ quiet: true }); // writes out/digits.int8.wasmq and out/digits.float.wasmq, which the server serves
let browser: Browser, page: Page, server: { url: string; close(): Promise<void> };
const tmp = mkdtempSync(path.join(tmpdir(), 'wasmq-demo-'));

/** Held-out digit `i` as a 4x upscaled PNG, white on black like the drawing pad. */
function digitPng(i: number): { file: string; label: number } {
  const d = heldOutDigits();
  const s = 4, side = DIGIT_SIDE * s;
  const png = new PNG({ width: side, height: side });
  for (let y = 0; y < side; y++) for (let x = 0; x < side; x++) {
    const v = Math.round(255 * d.images[i * DIGIT_SIDE * DIGIT_SIDE + Math.floor(y / s) * DIGIT_SIDE + Math.floor(x / s)]);
    const o = (y * side + x) * 4;
    png.data[o] = png.data[o + 1] = png.data[o + 2] = v;
    png.data[o + 3] = 255;
  }
  const file = path.join(tmp, `digit-${i}.png`);
  writeFileSync(file, PNG.sync.write(png));
  return { file, label: d.labels[i] };
}

test.before(async () => {
  server = await startServer({ port: 0 });
  browser = await launchChromium();
  page = await browser.newPage();
  page.on('pageerror', (e) => { throw e; });
  await page.goto(server.url);
  await page.waitForSelector('body[data-ready]');
  assert.is(await page.getAttribute('body', 'data-ready'), 'true', await page.textContent('#error') ?? '');
});

test.after(async () => {
  await browser?.close();
  await server?.close();
});

async function result() {
  await page.waitForSelector('#result[data-state="done"]');
  return { int8: await page.getAttribute('#result', 'data-int8-class'), float: await page.getAttribute('#result', 'data-float-class') };
}

test('uploaded held-out digits are classified correctly, int8 agreeing with float', async () => {
  for (const i of [0, 1, 2, 3, 4]) {
    const { file, label } = digitPng(i);
    await page.evaluate(() => document.getElementById('result')!.setAttribute('data-state', 'idle'));
    await page.setInputFiles('#file', file);
    const r = await result();
    assert.is(r.int8, String(label), `digit ${i}`);
    assert.is(r.float, r.int8, `digit ${i}: float and int8 agree`);
  }
  await page.screenshot({ path: path.join(SCREENSHOTS, 'demo-upload.png'), fullPage: true });
});

test('a stroke drawn with the mouse is a 1; the page reports latencies and sizes', async () => {
  await page.click('#clear');
  await page.evaluate(() => document.getElementById('result')!.setAttribute('data-state', 'idle'));
  const box = (await page.locator('#pad').boundingBox())!;
  await page.mouse.move(box.x + 140, box.y + 40);
  await page.mouse.down();
  for (let y = 40; y <= 240; y += 10) await page.mouse.move(box.x + 140, box.y + y);
  await page.mouse.up();
  const r = await result();
  assert.is(r.int8, '1');
  for (const id of ['#ms-int8', '#ms-float']) assert.ok(Number(await page.textContent(id)) > 0, `${id} is a positive number of ms`);
  const int8Kib = parseFloat((await page.textContent('#size-int8'))!), floatKib = parseFloat((await page.textContent('#size-float'))!);
  assert.ok(floatKib / int8Kib > 2, 'the int8 model is much smaller');
  await page.screenshot({ path: path.join(SCREENSHOTS, 'demo-draw.png'), fullPage: true });
});

test.run();
