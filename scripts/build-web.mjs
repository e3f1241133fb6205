#!/usr/bin/env node
// Builds the browser distribution into dist/web/: the runtime as one ES module (wasmq.js, with types from
// dist/src), the kernel module beside it (wasmq.wasm, found relative to wasmq.js), the in-browser kernel
// benchmark, and the demo pages. Then checks the size budget of what a page downloads to run a model.
import { build } from 'esbuild';
import { mkdir, copyFile, readFile, readdir, stat } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const out = path.join(root, 'dist/web');

/** The runtime (runtime JS + wasm, gzipped) must stay under this: a page should not pay for what it does not run. */
export const SIZE_BUDGET_GZIP = 64 * 1024;

// In the package the kernels sit at build/wasmq.wasm, three levels above src/runtime/wasm.ts; in the web
// bundle they sit beside wasmq.js. Rewrite that one URL so `new URL(..., import.meta.url)` stays static
// (bundlers such as Vite and webpack recognise the pattern and copy the file).
const wasmBesideBundle = {
  name: 'wasm-beside-bundle',
  setup(b) {
    b.onLoad({ filter: /src[\\/]runtime[\\/]wasm\.ts$/ }, async (args) => {
      const src = await readFile(args.path, 'utf8');
      const rewritten = src.replace("'../../build/wasmq.wasm'", "'./wasmq.wasm'");
      if (rewritten === src) throw new Error('build-web: the default kernel URL in src/runtime/wasm.ts moved; update scripts/build-web.mjs');
      return { contents: rewritten, loader: 'ts' };
    });
  },
};

// The runtime reads file: URLs with node:fs, lazily; a browser never takes that branch. Bundle a stub in its
// place so that nothing Node-only reaches the browser build (and bundlers downstream never see a node: import).
const noNodeBuiltins = {
  name: 'no-node-builtins',
  setup(b) {
    b.onResolve({ filter: /^node:/ }, (args) => ({ path: args.path, namespace: 'node-stub' }));
    b.onLoad({ filter: /.*/, namespace: 'node-stub' }, (args) => ({
      contents: `export function readFile() { throw new Error(${JSON.stringify(`${args.path} is not available in browsers: pass the kernel module as a URL, Response or bytes`)}); }`,
      loader: 'js',
    }));
  },
};

const common = { bundle: true, format: 'esm', platform: 'browser', target: 'es2022', sourcemap: true, logLevel: 'warning', plugins: [wasmBesideBundle, noNodeBuiltins] };

await mkdir(out, { recursive: true });
await build({ ...common, entryPoints: [path.join(root, 'src/index.ts')], outfile: path.join(out, 'wasmq.js'), minify: true });
await copyFile(path.join(root, 'build/wasmq.wasm'), path.join(out, 'wasmq.wasm'));
const benchEntry = path.join(root, 'bench/kernels/browser.ts');
if (await exists(benchEntry)) {
  await build({ ...common, entryPoints: [benchEntry], outfile: path.join(out, 'kernel-bench.js') });
}
for (const f of await readdir(path.join(root, 'web'))) {
  if (/\.(html|js|css)$/.test(f)) await copyFile(path.join(root, 'web', f), path.join(out, f));
}

const js = await readFile(path.join(out, 'wasmq.js'));
const wasm = await readFile(path.join(out, 'wasmq.wasm'));
const gz = gzipSync(js).length + gzipSync(wasm).length;
console.log(`dist/web: wasmq.js ${kb(js.length)} + wasmq.wasm ${kb(wasm.length)} = ${kb(js.length + wasm.length)} (${kb(gz)} gzipped; budget ${kb(SIZE_BUDGET_GZIP)})`);
if (gz > SIZE_BUDGET_GZIP) {
  console.error(`build-web: the runtime is ${kb(gz)} gzipped, over its ${kb(SIZE_BUDGET_GZIP)} budget`);
  process.exit(1);
}

function kb(n) {
  return `${(n / 1024).toFixed(1)} KiB`;
}
async function exists(p) {
  return stat(p).then(() => true, () => false);
}
