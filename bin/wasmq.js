#!/usr/bin/env node
// The `wasmq` command: runs the compiled CLI (npm run build:ts makes dist/).
import '../dist/src/cli/main.js';
