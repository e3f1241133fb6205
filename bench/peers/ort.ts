// onnxruntime as a peer: onnxruntime-web (its WebAssembly backend, SIMD, 1 thread) and onnxruntime-node (native
// CPU, 1 intra-op thread, the native ceiling). Both take ONNX bytes and run one named input.
import type * as OrtWeb from 'onnxruntime-web';

export interface OrtModel {
  run(input: Float32Array, shape: readonly number[]): Promise<Float32Array>;
  dispose(): Promise<void>;
}

let web: Promise<typeof OrtWeb> | undefined;

async function ortWeb(): Promise<typeof OrtWeb> {
  web ??= import('onnxruntime-web').then((ort) => {
    // Must be set before the first session is created.
    ort.env.wasm.numThreads = 1;
    ort.env.wasm.simd = true;
    ort.env.wasm.proxy = false;
    return ort;
  });
  return web;
}

export async function loadOrtWeb(bytes: Uint8Array): Promise<OrtModel> {
  const ort = await ortWeb();
  const session = await ort.InferenceSession.create(bytes, { executionProviders: ['wasm'], graphOptimizationLevel: 'all' });
  return wrap(session, ort.Tensor);
}

export async function loadOrtNode(bytes: Uint8Array): Promise<OrtModel> {
  const ort = await import('onnxruntime-node');
  const session = await ort.InferenceSession.create(bytes, { executionProviders: ['cpu'], intraOpNumThreads: 1, interOpNumThreads: 1, graphOptimizationLevel: 'all' });
  return wrap(session as unknown as OrtWeb.InferenceSession, ort.Tensor as unknown as typeof OrtWeb.Tensor);
}

function wrap(session: OrtWeb.InferenceSession, Tensor: typeof OrtWeb.Tensor): OrtModel {
  const inputName = session.inputNames[0];
  const outputName = session.outputNames[0];
  return {
    async run(input, shape) {
      const out = await session.run({ [inputName]: new Tensor('float32', input, shape as number[]) });
      return out[outputName].data as Float32Array;
    },
    dispose: () => session.release(),
  };
}
