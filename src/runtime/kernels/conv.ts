// Typed signatures of the 'conv' kernel family's exports (assembly/conv/). Pointers are byte offsets into wasm memory.
// Conv2D: NHWC int8 input, OHWI int8 weights (packed with gemmPack / packGemmWeights, taps = kh * kw, kc = cin),
// int32 bias, per-output-channel requantization (params block), output NHWC int8 [batch][outH][outW][cout].
import type { KernelExports } from '../kernel-abi.js';
import type { WasmHeap } from '../heap.js';
import { WasmqError } from '../errors.js';
import { packGemmWeights } from './gemm.js';

export interface ConvExports {
  /** Bytes of workspace (indirection table + zpIn row + zpW corrections) the conv described at `desc` needs. */
  convWorkspaceSize(desc: number): number;
  /** Builds the indirection table for this input pointer into the workspace (once, at prepare time). */
  convSetup(desc: number, input: number, workspace: number): void;
  /**
   * output = conv(input). packed: gemmPack(.., cout, kh*kw, cin, zpIn, zpW); params: requant block for cout.
   * Rebuilds the indirection table itself if `input` differs from the pointer it was built for.
   * Reads (never writes) up to 16 bytes past the input.
   */
  conv(desc: number, input: number, workspace: number, packed: number, output: number, params: number): void;
  /** Plain-loop twin from unpacked OHWI weights and int32 bias (0 = none); needs no workspace. */
  convScalar(desc: number, input: number, weights: number, bias: number, output: number, params: number): void;
  /** 1 when the conv is 1x1 / stride 1 / unpadded and runs as a GEMM directly on the input. */
  convIsPointwise(desc: number): number;
}

/** Everything a Conv2D kernel call needs to know besides pointers. Padding may be asymmetric. */
export interface ConvSpec {
  batch: number; inH: number; inW: number; cin: number;
  cout: number; kH: number; kW: number;
  strideH: number; strideW: number; dilH: number; dilW: number;
  padTop: number; padLeft: number; padBottom: number; padRight: number;
  zpIn: number; zpW: number; zpOut: number; qmin: number; qmax: number;
}

/** floor((in + pads - dil * (k - 1) - 1) / stride) + 1. */
export function convOutputSize(input: number, kernel: number, stride: number, dilation: number, padBefore: number, padAfter: number): number {
  return Math.floor((input + padBefore + padAfter - dilation * (kernel - 1) - 1) / stride) + 1;
}

/** Throws a WasmqError naming the bad field; returns [outH, outW]. */
export function validateConvSpec(s: ConvSpec, what = 'conv'): [number, number] {
  const check = (name: keyof ConvSpec, lo: number, hi: number) => {
    const v = s[name];
    if (!Number.isInteger(v) || v < lo || v > hi) throw new WasmqError('BAD_CONV_ARGS', `${what}: ${name} = ${v} is not an integer in [${lo}, ${hi}]`);
  };
  for (const f of ['batch', 'inH', 'inW', 'cin', 'cout', 'kH', 'kW', 'strideH', 'strideW', 'dilH', 'dilW'] as const) check(f, 1, 1 << 20);
  for (const f of ['padTop', 'padLeft', 'padBottom', 'padRight'] as const) check(f, 0, 1 << 16);
  for (const f of ['zpIn', 'zpW', 'zpOut', 'qmin', 'qmax'] as const) check(f, -128, 127);
  if (s.qmin > s.qmax) throw new WasmqError('BAD_CONV_ARGS', `${what}: clamp range [${s.qmin}, ${s.qmax}] is empty`);
  const outH = convOutputSize(s.inH, s.kH, s.strideH, s.dilH, s.padTop, s.padBottom);
  const outW = convOutputSize(s.inW, s.kW, s.strideW, s.dilW, s.padLeft, s.padRight);
  if (outH < 1 || outW < 1) throw new WasmqError('BAD_CONV_ARGS', `${what}: the ${s.kH}x${s.kW} kernel (dilation ${s.dilH}x${s.dilW}) does not fit the padded ${s.inH}x${s.inW} input`);
  const pixels = s.batch * outH * outW;
  if (pixels * s.cout > 2 ** 31 || s.batch * s.inH * s.inW * s.cin > 2 ** 31) throw new WasmqError('BAD_CONV_ARGS', `${what}: tensors larger than 2 GiB`);
  return [outH, outW];
}

/** The 20 i32 fields in the order assembly/conv/descriptor.ts reads them. */
export function convDescriptorFields(s: ConvSpec): Int32Array {
  const [outH, outW] = validateConvSpec(s);
  return Int32Array.from([
    s.batch, s.inH, s.inW, s.cin, outH, outW, s.cout, s.kH, s.kW, s.strideH, s.strideW, s.dilH, s.dilW,
    s.padTop, s.padLeft, s.zpIn, s.zpW, s.zpOut, s.qmin, s.qmax,
  ]);
}

export interface PreparedConv {
  /** The descriptor (80 bytes) in wasm memory. */
  desc: number;
  /** Packed weights and effective biases. */
  packed: number;
  /** convWorkspaceSize bytes; its indirection table is built for `input` if one was given. */
  workspace: number;
  outH: number;
  outW: number;
}

/**
 * Validates the spec, writes its descriptor, packs OHWI weights [cout][kH][kW][cin] (+ bias [cout] or null) and
 * allocates the workspace, all in `heap`; with `input` known, builds the indirection table now.
 * Then each inference is one call: k.conv(p.desc, input, p.workspace, p.packed, output, params).
 */
export function prepareConv(k: KernelExports, heap: WasmHeap, spec: ConvSpec, weights: Int8Array, bias: Int32Array | null, input?: number): PreparedConv {
  const fields = convDescriptorFields(spec);
  const taps = spec.kH * spec.kW;
  if (weights.length !== spec.cout * taps * spec.cin) {
    throw new WasmqError('BAD_CONV_ARGS', `conv: weights hold ${weights.length} values, expected cout*kH*kW*cin = ${spec.cout * taps * spec.cin}`);
  }
  if (bias && bias.length !== spec.cout) throw new WasmqError('BAD_CONV_ARGS', `conv: bias holds ${bias.length} values, expected cout = ${spec.cout}`);
  const desc = heap.put(fields);
  const { packed } = packGemmWeights(k, heap, weights, bias, spec.cout, spec.cin, spec.zpIn, spec.zpW, taps);
  const workspace = heap.alloc(k.convWorkspaceSize(desc));
  if (input !== undefined) k.convSetup(desc, input, workspace);
  else heap.u8(workspace, 4).fill(0);
  return { desc, packed, workspace, outH: fields[4], outW: fields[5] };
}
