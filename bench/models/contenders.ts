// The runtimes compared on MobileNetV2 1.0 224, batch 1, one thread each. Each builder loads its model (timed:
// bytes -> ready to run, after the runtime itself is initialised) and returns one inference to time.
import { readFileSync, existsSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { loadModel, type WasmqModel } from '../../src/index.js';
import { writeModel } from '../../src/format/write.js';
import { importTflite } from '../../src/convert/tflite/import.js';
import { loadOrtNode, loadOrtWeb } from '../peers/ort.js';
import { createLiteRtPeer } from '../peers/litert.js';
import { tfjsMobileNetV2, initTfjsWasm } from '../peers/tfjs.js';
import { mobilenetV2 } from './mobilenetv2.js';
import type { Timed } from './measure.js';
import { coralDir } from '../../test/convert/images/coral-data.js';
import { OnnxBuilder } from '../../src/convert/onnx/builder.js';

export interface Contender extends Timed {
  runtime: string;
  precision: 'int8' | 'float32';
  /** 'coral-tf2-ptq' (the real int8 TFLite model) or 'synthetic' (bench/models/mobilenetv2.ts, seeded weights) */
  model: string;
  threads: number;
  /** bytes -> ready to run, ms (the runtime's own one-time initialisation excluded) */
  load_ms: number;
  /** the runtime's wasm module (or native library) bytes */
  wasm_bytes: number;
  /** the model file's bytes as this runtime loads it */
  model_bytes: number;
  /** wasmq only: the planned activation arena and packed weights in wasm memory */
  arena_bytes?: number;
  packed_weight_bytes?: number;
  dispose?(): unknown;
}

const require = createRequire(import.meta.url);
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
const fileSize = (p: string) => statSync(p).size;
const pkgFile = (pkg: string, rel: string) => path.join(path.dirname(require.resolve(`${pkg}/package.json`)), rel);

/** The real int8 MobileNetV2 (../shared/models/coral from the main checkout), or undefined (printed why). */
export function coralModelPath(): string | undefined {
  const dir = coralDir('bench models: the coral rows');
  return dir && existsSync(path.join(dir, CORAL_FILE)) ? path.join(dir, CORAL_FILE) : undefined;
}
const CORAL_FILE = 'tf2_mobilenet_v2_1.0_224_ptq.tflite';

async function timed<T>(f: () => Promise<T>): Promise<[T, number]> {
  const t0 = performance.now();
  const v = await f();
  return [v, performance.now() - t0];
}

/** Deterministic input values in [-1, 1) (latency does not depend on them). */
export function seededInput(n: number, seed = 7): Float32Array {
  let s = seed >>> 0;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = (s / 4294967296) * 2 - 1;
  }
  return out;
}

export function nhwcToNchw(x: Float32Array, h: number, w: number, c: number): Float32Array {
  const out = new Float32Array(x.length);
  for (let y = 0; y < h; y++) for (let xx = 0; xx < w; xx++) for (let k = 0; k < c; k++) out[(k * h + y) * w + xx] = x[(y * w + xx) * c + k];
  return out;
}

/** wasmq from the bytes of a .wasmq file: load + session (timed), then runSync. */
export async function wasmqContender(fileBytes: Uint8Array, input: Float32Array | Uint8Array | Int8Array, meta: Pick<Contender, 'precision' | 'model'> & { runtime?: string }, runOptions: { raw?: boolean } = {}): Promise<Contender & { wasmq: WasmqModel }> {
  await loadModel(fileBytes); // the first load compiles the kernel module; keep that out of load_ms as for the peers
  const [[wasmq, session], load_ms] = await timed(async () => {
    const m = await loadModel(fileBytes);
    return [m, await m.createSession()] as const;
  });
  const feeds = { [session.inputNames[0]]: input };
  return {
    runtime: 'wasmq', threads: 1, ...meta, load_ms, wasm_bytes: fileSize(path.join(root, 'build/wasmq.wasm')), model_bytes: fileBytes.length,
    arena_bytes: wasmq.info.memory.arenaBytes, packed_weight_bytes: wasmq.info.memory.weightBytes,
    run: () => session.runSync(feeds, runOptions), dispose: () => session.release(), wasmq,
  };
}

/** The real int8 MobileNetV2 in LiteRT.js, as it is. */
export async function liteRtCoral(file: string, input: Uint8Array): Promise<Contender> {
  const bytes = new Uint8Array(readFileSync(file));
  const peer = await createLiteRtPeer();
  const [, load_ms] = await timed(() => peer.load(bytes));
  return {
    runtime: 'LiteRT.js', precision: 'int8', model: 'coral-tf2-ptq', threads: 1, load_ms,
    wasm_bytes: fileSize(pkgFile('@litertjs/core', 'wasm/litert_wasm_compat_internal.wasm')), model_bytes: bytes.length,
    run: () => peer.run(input, [1, 224, 224, 3]), dispose: () => peer.dispose(),
  };
}

/** The same model imported by wasmq (what `wasmq convert model.tflite` writes). */
export function coralWasmqFile(file: string): Uint8Array {
  return writeModel(importTflite(new Uint8Array(readFileSync(file))));
}

export async function ortContender(which: 'web' | 'node', onnx: Uint8Array, inputNchw: Float32Array, meta: Pick<Contender, 'precision' | 'model'>, shape = [1, 3, 224, 224]): Promise<Contender> {
  const load = which === 'web' ? loadOrtWeb : loadOrtNode;
  if (which === 'web') await (await loadOrtWeb(oneRelu())).dispose(); // initialise the wasm outside load_ms
  const [session, load_ms] = await timed(() => load(onnx));
  return {
    runtime: which === 'web' ? 'onnxruntime-web' : 'onnxruntime-node', threads: 1, ...meta, load_ms,
    wasm_bytes: which === 'web'
      ? fileSize(path.join(path.dirname(require.resolve('onnxruntime-web')), 'ort-wasm-simd-threaded.wasm'))
      : fileSize(pkgFile('onnxruntime-node', `bin/napi-v6/${process.platform}/${process.arch}/onnxruntime_binding.node`)) + fileSize(pkgFile('onnxruntime-node', `bin/napi-v6/${process.platform}/${process.arch}/libonnxruntime.so.1`)),
    model_bytes: onnx.length,
    run: () => session.run(inputNchw, shape), dispose: () => session.dispose(),
  };
}

/** A one-node ONNX model (Relu on [1]) that initialises onnxruntime-web before a timed load. */
function oneRelu(): Uint8Array {
  return new OnnxBuilder({ opset: 13 }).input('x', [1]).node('Relu', ['x'], ['y']).output('y', [1]).toBytes();
}

export async function tfjsContender(inputNhwc: Float32Array): Promise<Contender> {
  await initTfjsWasm();
  const [net, load_ms] = await timed(() => tfjsMobileNetV2());
  let params = 0;
  for (const l of mobilenetV2()) {
    if (l.kind === 'conv') params += l.k * l.k * l.cin * l.cout + l.cout;
    else if (l.kind === 'dwconv') params += l.k * l.k * l.c + l.c;
    else if (l.kind === 'fc') params += l.cin * l.cout + l.cout;
  }
  return {
    runtime: 'tfjs-wasm', precision: 'float32', model: 'synthetic', threads: 1, load_ms,
    wasm_bytes: fileSize(pkgFile('@tensorflow/tfjs-backend-wasm', 'dist/tfjs-backend-wasm-simd.wasm')), model_bytes: params * 4,
    run: () => net.run(inputNhwc), dispose: () => net.dispose(),
  };
}
