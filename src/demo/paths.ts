// The package's root folder (where models/ and out/ live), from src/ under tsx or dist/src/ once built.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export function packageRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = path.join(dir, 'package.json');
    if (existsSync(pkg) && JSON.parse(readFileSync(pkg, 'utf8')).name === 'wasmq') return dir;
    const up = path.dirname(dir);
    if (up === dir) throw new Error('wasmq: cannot find the package root above ' + fileURLToPath(import.meta.url));
    dir = up;
  }
}
