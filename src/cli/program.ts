// The `wasmq` command line: one file per command under commands/, dispatched by commander.
import { Command, CommanderError } from 'commander';
import { WasmqError } from '../runtime/errors.js';
import type { RegisterCommand } from './command.js';
import { registerInspect } from './commands/inspect.js';
import { registerRun } from './commands/run.js';
import { registerConvert } from './commands/convert.js';
import { registerClassify } from './commands/classify.js';
import { registerEval } from './commands/eval.js';
import { registerExportOnnx } from './commands/export-onnx.js';

/** Add new commands here (one module each). */
const COMMANDS: RegisterCommand[] = [registerInspect, registerRun, registerConvert, registerClassify, registerEval, registerExportOnnx];

export function buildProgram(): Command {
  const program = new Command('wasmq')
    .description('int8 neural-network inference for WebAssembly SIMD')
    .version('0.1.0')
    .showHelpAfterError()
    .exitOverride();
  for (const register of COMMANDS) register(program);
  return program;
}

/** Runs the CLI; resolves to the process exit code. Errors print as `wasmq: CODE: message`. */
export async function runCli(argv: string[]): Promise<number> {
  try {
    await buildProgram().parseAsync(argv, { from: 'user' });
    return 0;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode;
    if (e instanceof WasmqError) {
      process.stderr.write(`wasmq: ${e.code}: ${e.message}\n`);
      return 1;
    }
    throw e;
  }
}
