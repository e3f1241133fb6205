// wasmq's public API. Browser-safe: nothing here (or below) imports node: modules at load time.
//
//   import { loadModel, WasmqError } from 'wasmq';
//   const model = await loadModel(bytesOrUrl, { memoryLimit: 256 << 20 });   // verify, plan, pack weights
//   model.info;                                    // inputs/outputs, ops, arena and weight bytes, metadata
//   const session = await model.createSession();   // its own arena; sessions share the packed weights
//   const out = await session.run({ [model.info.inputs[0].name]: pixels });          // Float32Array outputs
//   const raw = await session.run(feeds, { raw: true });                              // int8/uint8 as stored
//   const { outputs, profile } = await session.run(feeds, { profile: true });         // per-op milliseconds
//
// Every failure is a WasmqError with a `code` (ModelError for models, InputError 'BAD_INPUT' for feeds).
export { loadModel, DEFAULT_MEMORY_LIMIT, type LoadOptions, type ModelSource } from './runtime/load.js';
export type { WasmqModel } from './runtime/loaded-model.js';
export type { Session, Feeds, Outputs, InputData, OutputData, RunOptions, OpTiming, ProfiledRun } from './runtime/session.js';
export type { TensorObserver } from './runtime/observe.js';
export type { ModelInfo, TensorInfo, QuantizationInfo, MemoryInfo } from './runtime/info.js';
export type { TensorPlacement } from './runtime/graph.js';
export type { WasmSource } from './runtime/wasm.js';
export type { ProgressCallback, RemoteModelSource } from './runtime/fetch-model.js';
export { simdSupported } from './runtime/wasm.js';
export { detectFeatures, type Features } from './runtime/features.js';
export { WasmqError, RuntimeSupportError } from './runtime/errors.js';
export { ModelError, InputError } from './runtime/model-error.js';
export type { Model, DType, OpKind } from './format/model.js';
