// Typed signatures of the 'conv' kernel family's exports (assembly/conv/). Pointers are byte offsets into wasm memory.
// Conv2D: NHWC int8 input, OHWI int8 weights [cout][kH][kW][cin], int32 bias, per-output-channel requantization
// (a params block, src/runtime/requant-params.ts), output NHWC int8 [batch][outH][outW][cout].
// The descriptor is the shared conv descriptor (convDescriptor in ./dwconv.ts) with the weight zero point in
// field 19 (convInt8Descriptor below).
import type { KernelExports } from '../kernel-abi.js';
import type { WasmHeap } from '../heap.js';
import { KernelParamsError } from './params-error.js';
import { convDescriptor, type ConvGeometry, type ConvQuant } from './dwconv.js';

export interface ConvExports {
  /** 0: pointwise (1x1/s1/unpadded: GEMM on the input, no copy), 1: windows gathered per tile through an indirection table. */
  convMode(desc: number): number;
  /** Bytes of packed weights (effective biases + i16 weights in the microkernel layout). */
  convPackedSize(desc: number): number;
  /**
   * Packs OHWI int8 weights and int32 bias (0 = none) into dst (convPackedSize bytes), folding the weight-only
   * zero-point terms into the bias (bias - zpIn * sum w + K * zpIn * zpW). Once, at prepare time.
   */
  convPack(desc: number, dst: number, weights: number, bias: number): void;
  /** Bytes of workspace (indirection table, zpIn row, gather tile, zpW corrections) the conv needs. */
  convWorkspaceSize(desc: number): number;
  /** Builds the indirection table for this input pointer into the workspace (once, at prepare time). */
  convSetup(desc: number, input: number, workspace: number): void;
  /**
   * output = conv(input), requantized with `params` (block for cout channels) and clamped to [qmin, qmax].
   * Rebuilds the indirection table itself if `input` differs from the pointer it was built for.
   * Reads (never writes) up to 16 bytes past the input. Input and output must not overlap.
   */
  conv(desc: number, input: number, workspace: number, packed: number, output: number, params: number): void;
  /** Plain-loop twin from unpacked OHWI weights and int32 bias (0 = none); needs no workspace. */
  convScalar(desc: number, input: number, weights: number, bias: number, output: number, params: number): void;
}

/** Descriptor field holding the per-tensor weight zero point (0 for symmetric weights). */
export const CONV_ZP_W_FIELD = 19;

/** The shared conv descriptor with the int8 conv's weight zero point (validated, -128..127). */
export function convInt8Descriptor(g: ConvGeometry, q: ConvQuant, zpW = 0, op = 'conv'): Int32Array {
  const d = convDescriptor(g, q, op);
  if (!Number.isInteger(zpW) || zpW < -128 || zpW > 127) throw new KernelParamsError('BAD_PARAM', `${op}: weight zero point must be an integer in [-128, 127], got ${zpW}`);
  d[CONV_ZP_W_FIELD] = zpW;
  return d;
}

export interface PreparedConv {
  /** The descriptor (80 bytes) in wasm memory. */
  desc: number;
  /** Packed weights and effective biases. */
  packed: number;
  /** convWorkspaceSize bytes; its indirection table is built for `input` if one was given. */
  workspace: number;
}

/**
 * Writes the descriptor, packs OHWI weights [outC][kH][kW][inC] (+ bias [outC] or null) and allocates the
 * workspace, all in `heap`; with `input` known, builds the indirection table now. The caller's arrays are
 * not modified. Each inference is then one call: k.conv(p.desc, input, p.workspace, p.packed, output, params).
 */
export function prepareConv(
  k: KernelExports, heap: WasmHeap, g: ConvGeometry, q: ConvQuant, weights: Int8Array, bias: Int32Array | null,
  zpW = 0, input?: number, op = 'conv',
): PreparedConv {
  const fields = convInt8Descriptor(g, q, zpW, op);
  const expected = g.outC * g.kH * g.kW * g.inC;
  if (weights.length !== expected) throw new KernelParamsError('BAD_SHAPE', `${op}: weights hold ${weights.length} values, expected outC*kH*kW*inC = ${expected}`);
  if (bias && bias.length !== g.outC) throw new KernelParamsError('BAD_SHAPE', `${op}: bias holds ${bias.length} values, expected outC = ${g.outC}`);
  const desc = heap.put(fields, 16);
  const packed = heap.alloc(k.convPackedSize(desc));
  const mark = heap.mark();
  k.convPack(desc, packed, heap.put(weights), bias ? heap.put(bias) : 0);
  heap.release(mark);
  const workspace = heap.alloc(k.convWorkspaceSize(desc));
  if (input !== undefined) k.convSetup(desc, input, workspace);
  else heap.u8(workspace, 4).fill(0);
  return { desc, packed, workspace };
}
