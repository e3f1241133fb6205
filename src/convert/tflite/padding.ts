// TFLite's SAME / VALID padding made explicit, computed as TFLite computes it (ComputePaddingHeightWidth):
// effective filter = (filter - 1) * dilation + 1; SAME: out = ceil(in / stride),
// total = max((out - 1) * stride + effective - in, 0), before = floor(total / 2), after = total - before (the
// odd pixel goes to the bottom / right); VALID: out = floor((in - effective) / stride) + 1, no padding.
export interface AxisPadding {
  out: number;
  before: number;
  after: number;
}

export const PADDING_SAME = 0;
export const PADDING_VALID = 1;

export function tflitePadding(padding: number, inSize: number, filter: number, stride: number, dilation: number): AxisPadding {
  const effective = (filter - 1) * dilation + 1;
  if (padding === PADDING_SAME) {
    const out = Math.ceil(inSize / stride);
    const total = Math.max((out - 1) * stride + effective - inSize, 0);
    const before = Math.floor(total / 2);
    return { out, before, after: total - before };
  }
  return { out: Math.floor((inSize - effective) / stride) + 1, before: 0, after: 0 };
}
