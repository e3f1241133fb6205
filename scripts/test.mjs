#!/usr/bin/env node
// Runs the uvu suite (TypeScript through tsx) and closes with one plain summary line that CI can read.
// Extra arguments narrow the run: `npm test -- kernels` runs only test files whose path contains "kernels".
import { spawn } from 'node:child_process';

const filter = process.argv[2] ? `.*${process.argv[2].replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}.*\\.test\\.ts$` : '.*\\.test\\.ts$';
const child = spawn(process.execPath, ['--import', 'tsx', 'node_modules/uvu/bin.js', 'test', filter], { stdio: ['ignore', 'pipe', 'inherit'] });
let out = '';
child.stdout.on('data', (chunk) => {
  process.stdout.write(chunk);
  out += chunk;
});
child.on('close', (code) => {
  const plain = out.replace(/\x1b\[[0-9;]*m/g, '');
  const n = (label) => Number(/^\s*(\d+)?/.exec(plain.split(`${label}:`).pop() ?? '')?.[1] ?? 0);
  const total = n('Total'), passed = n('Passed'), skipped = n('Skipped');
  const failed = code === 0 ? total - passed - skipped : Math.max(1, total - passed - skipped);
  console.log(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
  process.exit(code ?? 1);
});
