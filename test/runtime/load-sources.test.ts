// loadModel takes bytes, a path, a file: or http: URL, or a fetch Response, and reports download progress.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadModel, WasmqError } from '../../src/index.js';
import { writeModel } from '../../src/format/write.js';
import { GraphBuilder } from './build.js';

function tinyModel(): Uint8Array {
  const g = new GraphBuilder();
  const x = g.input('x', [2, 3], 'int8', { scale: 0.5, zeroPoint: 1 });
  const y = g.tensor('y', [6], 'int8', { scale: 0.5, zeroPoint: 1 });
  g.op('Reshape', [x], [y], {});
  return writeModel(g.build(y));
}

const bytes = tinyModel();
const dir = mkdtempSync(join(tmpdir(), 'wasmq-load-'));
const file = join(dir, 'tiny.wasmq');
writeFileSync(file, bytes);

async function runs(model: Awaited<ReturnType<typeof loadModel>>): Promise<void> {
  const out = await (await model.createSession()).run({ x: Int8Array.of(1, 2, 3, -4, 5, 6) }, { raw: true });
  assert.equal(Array.from(out.y), [1, 2, 3, -4, 5, 6]);
}

async function expectNotFound(fn: () => Promise<unknown>, message: RegExp): Promise<void> {
  try {
    await fn();
    assert.unreachable('expected MODEL_NOT_FOUND');
  } catch (e) {
    assert.instance(e, WasmqError);
    assert.is((e as WasmqError).code, 'MODEL_NOT_FOUND');
    assert.match((e as Error).message, message);
  }
}

test('a path, a file: URL, a Response and a promised Response all load', async () => {
  const progress: [number, number | undefined][] = [];
  await runs(await loadModel(file, { onProgress: (l, t) => progress.push([l, t]) }));
  assert.equal(progress, [[bytes.length, bytes.length]]);
  await runs(await loadModel(pathToFileURL(file)));
  await runs(await loadModel(new Response(bytes)));
  await runs(await loadModel(Promise.resolve(new Response(bytes))));
  await runs(await loadModel(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength)));
});

test('over http, progress climbs to the content length', async () => {
  const server = createServer((req, res) => {
    if (req.url !== '/tiny.wasmq') {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-length': String(bytes.length) });
    // three chunks, so progress has steps
    const third = Math.ceil(bytes.length / 3);
    res.write(bytes.subarray(0, third));
    setTimeout(() => {
      res.write(bytes.subarray(third, 2 * third));
      setTimeout(() => res.end(bytes.subarray(2 * third)), 5);
    }, 5);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    const progress: [number, number | undefined][] = [];
    await runs(await loadModel(`${base}/tiny.wasmq`, { onProgress: (l, t) => progress.push([l, t]) }));
    assert.ok(progress.length >= 2, `progress reported ${progress.length} times`);
    assert.equal(progress[progress.length - 1], [bytes.length, bytes.length]);
    assert.ok(progress.every(([l], i) => i === 0 || l > progress[i - 1][0]), 'progress only climbs');
    await expectNotFound(() => loadModel(`${base}/missing.wasmq`), /missing\.wasmq failed: HTTP 404/);
  } finally {
    server.close();
  }
});

test('a missing file is a typed error naming it', async () => {
  await expectNotFound(() => loadModel(join(dir, 'nope.wasmq')), /nope\.wasmq/);
  await expectNotFound(() => loadModel(new Response('gone', { status: 410 })), /HTTP 410/);
});

test.after(() => rmSync(dir, { recursive: true, force: true }));

test.run();
