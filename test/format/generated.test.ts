import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { generateSchemaCode, GENERATED_DIR } from '../../scripts/gen-schema.mjs';

function committedFiles(dir: string, out: Record<string, string> = {}): Record<string, string> {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) committedFiles(path, out);
    else out[relative(GENERATED_DIR, path).split('\\').join('/')] = readFileSync(path, 'utf8');
  }
  return out;
}

test('src/format/generated matches what the pinned flatc makes of schema/wasmq.fbs (run npm run gen:schema)', async () => {
  const fresh: Record<string, string> = await generateSchemaCode();
  const committed = committedFiles(GENERATED_DIR);
  assert.equal(Object.keys(committed).sort(), Object.keys(fresh).sort(), 'same file list');
  for (const [name, text] of Object.entries(fresh)) assert.ok(committed[name] === text, `${name} is stale`);
});

test.run();
