// float32 depthwise conv, SIMD over 16 channels, same geometry and tap tables as the int8 kernel
// (../dwconv/geometry.ts). Weights are packed per group of 16 channels: [ bias: 16 f32 ][ taps x 16 f32 ],
// padding channels 0. Depth multipliers > 1 run on a copy of the input with each channel repeated
// (../dwconv/multiplier.ts).
import {
  field, tapSlots, beginTaps, beginRow, pixelTaps, tapBase,
  D_BATCH, D_IN_C, D_OUT_H, D_OUT_W, D_OUT_C, D_K_H, D_K_W,
} from "../dwconv/geometry";
import { dwconvBands, repeatTable, repeatBand, repeatedInput, bandOutputOffset } from "../dwconv/multiplier";
import { clamp } from "./gemm";

const tail = memory.data(64, 16);

// @ts-ignore: decorator
@inline
function groupBytes(taps: i32): usize {
  return <usize>(16 + 16 * taps) << 2;
}

/** Bytes of f32DwconvPack's block. */
export function f32DwconvPackedSize(channels: i32, taps: i32): i32 {
  return <i32>(<usize>((channels + 15) >> 4) * groupBytes(taps));
}

/** Packs 1HWC f32 weights ([taps][channels], channels = inC * depthMultiplier) and an optional bias (0 = none). */
export function f32DwconvPack(dst: usize, weights: usize, bias: usize, channels: i32, taps: i32): void {
  memory.fill(dst, 0, <usize>f32DwconvPackedSize(channels, taps));
  for (let c = 0; c < channels; c++) {
    const g = dst + <usize>(c >> 4) * groupBytes(taps) + (<usize>(c & 15) << 2);
    if (bias != 0) store<f32>(g, load<f32>(bias + (<usize>c << 2)));
    for (let t = 0; t < taps; t++) store<f32>(g + <usize>(16 + 16 * t) * 4, load<f32>(weights + <usize>(t * channels + c) * 4));
  }
}

/**
 * NHWC f32 depthwise conv: out = clamp(bias + sum_t x_t * w_t, min, max), padded taps reading 0. `desc`: the
 * conv descriptor; `packed`: f32DwconvPack; `scratch`: dwconvScratchSize(desc, 4) bytes.
 */
export function f32Dwconv(desc: usize, input: usize, output: usize, packed: usize, scratch: usize, min: f32, max: f32): void {
  const inC = field(desc, D_IN_C), channels = field(desc, D_OUT_C);
  if (channels != inC) { // depth multiplier > 1: bands of repeated input (../dwconv/multiplier.ts)
    repeatTable(desc, scratch, 4);
    for (let b = 0, bands = dwconvBands(desc, 4); b < bands; b++) {
      const desc1 = repeatBand(desc, input, scratch, b, 4);
      f32Dwconv(desc1, repeatedInput(desc1, 4), output + bandOutputOffset(desc, b, 4), packed, scratch, min, max);
    }
    return;
  }
  const taps = field(desc, D_K_H) * field(desc, D_K_W);
  const slots = tapSlots(taps);
  const offsets = scratch;
  const border = scratch + (<usize>slots << 2);
  const padRow = border + (<usize>slots << 2);
  memory.fill(padRow, 0, <usize>(((inC + 15) & ~15) << 2));
  const vmin = f32x4.splat(min), vmax = f32x4.splat(max);
  const gBytes = groupBytes(taps);
  const batch = field(desc, D_BATCH), outH = field(desc, D_OUT_H), outW = field(desc, D_OUT_W);
  beginTaps(desc, input, 4, offsets, border, padRow);
  let out = output;
  for (let n = 0; n < batch; n++) {
    for (let oy = 0; oy < outH; oy++) {
      beginRow(n, oy);
      for (let ox = 0; ox < outW; ox++) {
        const tab = pixelTaps(ox);
        const base = tapBase;
        let g = packed;
        let c = 0;
        for (; c + 16 <= channels; c += 16) {
          let a0 = v128.load(g), a1 = v128.load(g, 16), a2 = v128.load(g, 32), a3 = v128.load(g, 48);
          let w = g + 64;
          const bc = base + (<usize>c << 2);
          const tEnd = tab + (<usize>taps << 2);
          for (let t = tab; t < tEnd; t += 4) {
            const x = bc + load<usize>(t);
            a0 = f32x4.add(a0, f32x4.mul(v128.load(x), v128.load(w)));
            a1 = f32x4.add(a1, f32x4.mul(v128.load(x, 16), v128.load(w, 16)));
            a2 = f32x4.add(a2, f32x4.mul(v128.load(x, 32), v128.load(w, 32)));
            a3 = f32x4.add(a3, f32x4.mul(v128.load(x, 48), v128.load(w, 48)));
            w += 64;
          }
          const o = out + (<usize>c << 2);
          v128.store(o, clamp(a0, vmin, vmax));
          v128.store(o, clamp(a1, vmin, vmax), 16);
          v128.store(o, clamp(a2, vmin, vmax), 32);
          v128.store(o, clamp(a3, vmin, vmax), 48);
          g += gBytes;
        }
        // The last partial group four channels at a time, so loads stay within the kernels' 16-byte over-read.
        for (let j: usize = 0; c < channels; c += 4, j += 16) {
          let a = v128.load(g + j);
          let w = g + 64 + j;
          const bc = base + (<usize>c << 2);
          const tEnd = tab + (<usize>taps << 2);
          for (let t = tab; t < tEnd; t += 4) {
            a = f32x4.add(a, f32x4.mul(v128.load(bc + load<usize>(t)), v128.load(w)));
            w += 64;
          }
          v128.store(tail, clamp(a, vmin, vmax));
          const lanes: i32 = channels - c < 4 ? channels - c : 4;
          memory.copy(out + (<usize>c << 2), tail, <usize>lanes << 2);
        }
        out += <usize>channels << 2;
      }
    }
  }
}
