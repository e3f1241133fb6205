#!/usr/bin/env node
// Writes the demo digits' fixed split as NumPy .npy files for the Python training script, so Python trains on
// exactly the 8,000/2,000 split src/demo/digits.ts defines (one source of truth for the order).
// Usage: node --import tsx models/digits/export-data.mjs <out-dir>
// Writes train-images.npy (float32 [8000, 28, 28]), train-labels.npy (uint8 [8000]),
//        heldout-images.npy (float32 [2000, 28, 28]), heldout-labels.npy (uint8 [2000]).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { trainDigits, heldOutDigits } from '../../src/demo/digits.ts';

/** NPY format 1.0: magic, version, little-endian header length, a Python dict literal padded to 64 bytes. */
function npy(array, descr, shape) {
  const dict = `{'descr': '${descr}', 'fortran_order': False, 'shape': (${shape.join(', ')},), }`;
  const unpadded = 10 + dict.length + 1;
  const header = dict + ' '.repeat((64 - (unpadded % 64)) % 64) + '\n';
  const prefix = Buffer.alloc(10);
  prefix.write('\x93NUMPY', 0, 'latin1');
  prefix[6] = 1;
  prefix[7] = 0;
  prefix.writeUInt16LE(header.length, 8);
  return Buffer.concat([prefix, Buffer.from(header, 'latin1'), Buffer.from(array.buffer, array.byteOffset, array.byteLength)]);
}

const out = process.argv[2];
if (!out) {
  console.error('usage: node --import tsx models/digits/export-data.mjs <out-dir>');
  process.exit(2);
}
mkdirSync(out, { recursive: true });
for (const [name, set] of [['train', trainDigits()], ['heldout', heldOutDigits()]]) {
  writeFileSync(join(out, `${name}-images.npy`), npy(set.images, '<f4', [set.count, 28, 28]));
  writeFileSync(join(out, `${name}-labels.npy`), npy(set.labels, '|u1', [set.count]));
}
console.log(`wrote the digit split to ${out}`);
