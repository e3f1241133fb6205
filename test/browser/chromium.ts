// Real-browser tests: Debian's Chromium (apt-get install chromium) driven by playwright-core, against pages served
// on loopback by scripts/serve-web.mjs. Nothing here downloads a browser; where Chromium is missing the tests
// FAIL with a message saying how to install it (a silent skip would hide a broken browser build).
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM = process.env.WASMQ_CHROMIUM ?? '/usr/bin/chromium';
export const SCREENSHOTS = path.resolve('out/screenshots');

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Chromium not found at ${CHROMIUM}: install Debian's package (apt-get install -y chromium) or set WASMQ_CHROMIUM`);
  }
  mkdirSync(SCREENSHOTS, { recursive: true });
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    // This machine has no internet: keep Chromium from trying to reach Google's services.
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic'],
  });
}

/** dist/web must be built (npm run build) before the browser tests run. */
export function requireWebBuild(): void {
  if (!existsSync('dist/web/wasmq.js') || !existsSync('dist/web/wasmq.wasm')) {
    throw new Error('dist/web is missing: run `npm run build` (it builds the browser bundle)');
  }
}
