// Upper bounds that keep a hostile or broken model from making wasmq allocate or loop without bound. They are
// far above real models (MobileNetV2 has ~180 tensors and ~3.5 M weights) and can be raised per call.

export interface ModelLimits {
  maxTensors: number;
  maxOps: number;
  maxBuffers: number;
  /** inputs of one op (Concatenation is the only variadic op) */
  maxOpInputs: number;
  /** elements of one tensor */
  maxTensorElements: number;
  /** bytes of one tensor (elements x element size) */
  maxTensorBytes: number;
  /** sum of the bytes of all tensors, constants and activations */
  maxTotalBytes: number;
  /** strides, dilations, filter sizes, pads, depth multiplier */
  maxSpatial: number;
}

export const DEFAULT_LIMITS: Readonly<ModelLimits> = Object.freeze({
  maxTensors: 100_000,
  maxOps: 100_000,
  maxBuffers: 100_000,
  maxOpInputs: 1024,
  maxTensorElements: 2 ** 30,
  maxTensorBytes: 2 ** 30,
  maxTotalBytes: 2 ** 40,
  maxSpatial: 65_536,
});

export const MAX_RANK = 6;

export function resolveLimits(limits?: Partial<ModelLimits>): ModelLimits {
  return { ...DEFAULT_LIMITS, ...limits };
}
