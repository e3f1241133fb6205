// LiteRT.js (@litertjs/core: TFLite + XNNPACK compiled to wasm) as a reference runtime in Node 20, one thread.
// Used by tests as the reference for .tflite models and by benchmarks as the peer to beat.
//
// The package targets browsers and workers; two shims make it load in Node:
// - `self` = globalThis;
// - `importScripts(url)`, which the loader calls with its Emscripten glue file (wasm/litert_wasm_compat_internal.js
//   here: Node 20 has no relaxed SIMD, so LiteRT picks its baseline-SIMD build), evaluates that file as CommonJS
//   and publishes its export as `ModuleFactory`, which is what a worker's importScripts would leave behind.
// Emscripten's stdout/stderr chatter is silenced through a pre-set `Module` object; ERROR lines among it turn into
// exceptions of load() / run() (LiteRT otherwise runs a graph it failed to prepare and returns zeros).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';

type TypedArray = Uint8Array | Int8Array | Float32Array | Int32Array;
type LiteRtModule = typeof import('@litertjs/core');

export interface LiteRtPeer {
  /** compiles a .tflite model for the wasm (XNNPACK) accelerator, one thread */
  load(bytes: Uint8Array): Promise<void>;
  /**
   * runs the loaded model on one input; returns a copy of every output. LiteRT.js has no int8 tensors: an
   * Int8Array input is refused (feed the uint8 / float32 input of the model).
   */
  run(input: Uint8Array | Int8Array | Float32Array | Int32Array, shape: number[]): Promise<TypedArray[]>;
  /** input and output names, types and shapes of the loaded model */
  details(): { inputs: TensorInfo[]; outputs: TensorInfo[] };
  dispose(): void;
}

export interface TensorInfo {
  name: string;
  dtype: string;
  shape: number[];
}

const require = createRequire(import.meta.url);
let loading: Promise<LiteRtModule> | undefined;
/** ERROR lines LiteRT printed since the last check: it reports some failures (e.g. a node that cannot be
 * prepared) only there, then runs anyway and returns zeros. */
const liteRtErrors: string[] = [];

function throwOnLiteRtErrors(what: string): void {
  if (liteRtErrors.length === 0) return;
  const errors = liteRtErrors.splice(0);
  throw new Error(`LiteRT.js ${what} failed: ${errors.join('; ')}`);
}

/** Installs the shims; returns a function that removes them again (other wasm glue in the same process, e.g.
 * Emscripten's, would otherwise take Node for a web worker). */
function installShims(): () => void {
  const g = globalThis as Record<string, unknown>;
  const hadSelf = 'self' in g;
  g.self ??= globalThis;
  g.importScripts = (url: string) => {
    const file = url.startsWith('file:') ? fileURLToPath(url) : url;
    const source = readFileSync(file, 'utf8');
    const wrapper = vm.runInThisContext(`(function (module, exports, require, __filename, __dirname) {${source}\n})`, { filename: file });
    const module = { exports: {} as unknown };
    wrapper(module, module.exports, createRequire(file), file, dirname(file));
    g.ModuleFactory = module.exports;
  };
  return () => {
    delete g.importScripts;
    delete g.ModuleFactory;
    delete g.Module;
    if (!hadSelf) delete g.self;
  };
}

/** Loads the LiteRT.js wasm once per process. */
function liteRt(): Promise<LiteRtModule> {
  loading ??= (async () => {
    const removeShims = installShims();
    const lib: LiteRtModule = await import('@litertjs/core');
    const wasmDir = join(dirname(require.resolve('@litertjs/core/package.json')), 'wasm') + '/';
    const log = (...args: unknown[]) => {
      const line = args.map(String).join(' ');
      if (line.startsWith('ERROR')) liteRtErrors.push(line);
    };
    (globalThis as Record<string, unknown>).Module = { print: log, printErr: log };
    // Node 20 has no `navigator`: LiteRT's optional WebGPU probe logs its failure; keep that line out.
    const warn = console.warn;
    console.warn = (...args: unknown[]) => {
      if (!String(args[0]).startsWith('Failed to create default WebGPU device')) warn(...args);
    };
    try {
      await lib.loadLiteRt(wasmDir);
    } finally {
      console.warn = warn;
      removeShims();
    }
    return lib;
  })();
  return loading;
}

export async function createLiteRtPeer(): Promise<LiteRtPeer> {
  const lib = await liteRt();
  let model: Awaited<ReturnType<LiteRtModule['loadAndCompile']>> | undefined;
  const loaded = () => {
    if (!model) throw new Error('LiteRT peer: load a model first');
    return model;
  };
  const info = (d: { name: string; dtype: string; shape: ArrayLike<number> }): TensorInfo => ({ name: d.name, dtype: d.dtype, shape: Array.from(d.shape) });
  return {
    async load(bytes) {
      model?.delete();
      model = undefined;
      liteRtErrors.length = 0;
      const compiled = await lib.loadAndCompile(new Uint8Array(bytes), { accelerator: 'wasm', cpuOptions: { numThreads: 1 } });
      try {
        throwOnLiteRtErrors('compiling the model');
      } catch (e) {
        compiled.delete();
        throw e;
      }
      model = compiled;
    },
    async run(input, shape) {
      const m = loaded();
      if (input instanceof Int8Array) throw new Error('LiteRT.js has no int8 tensors: feed the model a uint8 or float32 input');
      // a copy (for a Node Buffer, slice() would be a view)
      const tensor = new lib.Tensor(input instanceof Uint8Array ? new Uint8Array(input) : input.slice(), shape);
      try {
        const outputs = await m.run([tensor]);
        throwOnLiteRtErrors('running the model');
        return outputs.map((t) => {
          const copy = (t.toTypedArray() as TypedArray).slice();
          t.delete();
          return copy;
        });
      } finally {
        tensor.delete();
      }
    },
    details() {
      const m = loaded();
      return { inputs: m.getInputDetails().map(info), outputs: m.getOutputDetails().map(info) };
    },
    dispose() {
      model?.delete();
      model = undefined;
    },
  };
}
