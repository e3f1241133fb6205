// Output sizes and explicit padding of 2D windows (convs and pools) under ONNX's auto_pad and ceil_mode rules,
// and the index helpers that let one loop serve NCHW and NHWC.
import type { AutoPad, Layout, Pads2D } from '../graph.js';

export interface Window {
  kernel: [number, number];
  strides: [number, number];
  dilations: [number, number];
  pads: Pads2D;
  autoPad: AutoPad;
  ceilMode?: boolean;
}

/** Explicit pads and output size [OH, OW] of a window over an [H, W] input. */
export function windowOutput(w: Window, inHW: [number, number]): { pads: Pads2D; out: [number, number] } {
  const pads: Pads2D = [...w.pads];
  const out: [number, number] = [0, 0];
  for (let d = 0; d < 2; d++) {
    const ext = (w.kernel[d] - 1) * w.dilations[d] + 1;
    const s = w.strides[d], n = inHW[d];
    if (w.autoPad === 'VALID') {
      pads[d] = pads[d + 2] = 0;
      out[d] = Math.ceil((n - ext + 1) / s);
    } else if (w.autoPad === 'SAME_UPPER' || w.autoPad === 'SAME_LOWER') {
      out[d] = Math.ceil(n / s);
      const total = Math.max(0, (out[d] - 1) * s + ext - n);
      const small = Math.floor(total / 2);
      pads[d] = w.autoPad === 'SAME_UPPER' ? small : total - small;
      pads[d + 2] = total - pads[d];
    } else {
      const span = n + pads[d] + pads[d + 2] - ext;
      if (w.ceilMode) {
        out[d] = Math.ceil(span / s) + 1;
        // the last window must start inside the input or its left padding
        if ((out[d] - 1) * s >= n + pads[d]) out[d]--;
      } else {
        out[d] = Math.floor(span / s) + 1;
      }
    }
  }
  return { pads, out };
}

/** [N, C, H, W] of an activation shape in the given layout. */
export function nchwDims(shape: readonly number[], layout: Layout): [number, number, number, number] {
  return layout === 'NCHW' ? [shape[0], shape[1], shape[2], shape[3]] : [shape[0], shape[3], shape[1], shape[2]];
}

export function shapeFromNCHW(n: number, c: number, h: number, w: number, layout: Layout): number[] {
  return layout === 'NCHW' ? [n, c, h, w] : [n, h, w, c];
}

/** Flat offset of (n, c, h, w) in a tensor of dims [N, C, H, W] stored in the layout. */
export function offsetFn(dims: readonly number[], layout: Layout): (n: number, c: number, h: number, w: number) => number {
  const [, C, H, W] = dims;
  return layout === 'NCHW'
    ? (n, c, h, w) => ((n * C + c) * H + h) * W + w
    : (n, c, h, w) => ((n * H + h) * W + w) * C + c;
}
