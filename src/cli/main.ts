// Entry point of the `wasmq` command (bin/wasmq.js runs the compiled form of this file).
import { runCli } from './program.js';

process.exitCode = await runCli(process.argv.slice(2));
