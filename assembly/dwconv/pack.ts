// Packing of int8 depthwise weights, once at prepare time, into the layout both int8 kernels read:
//   [ effective bias: i32 x 16G ][ weights: G groups of 16 channels x P tap pairs x 32 i16 ]
// G = ceil(channels / 16), P = ceil(taps / 2). Within a pair block, i16 lane 2j + s holds channel j's weight of
// tap 2p + s, so each 8-lane vector pairs the two taps of four channels for i32x4.dot_i16x8_s. Weights are
// stored minus the weight zero point, widened to i16 (|w - zpW| <= 255), and padding channels / the dummy tap
// of an odd count are 0. The zero-point terms that depend only on weights are folded into the bias (§2):
//   acc = sum_t (x_t - zpIn)(w_t - zpW) = sum_t x_t (w_t - zpW)  +  [ bias - zpIn * sum_t (w_t - zpW) ]
// where padded taps read x = zpIn, so they add exactly nothing.
// 3x3 kernels (taps == 9) get a second copy of the weights, for the column-sliding kernel (slide3x3.ts), after
// the two sections above: per group of 4 channels, 6 vectors of 8 i16 (taps of a column paired vertically for
// ky 0-1, ky 2 paired across kx 0-1, tap (2, 2) alone on either lane of such a pair):
//   V01[kx] (kx 0..2): lane 2j + s = channel j's weight of tap (ky s, kx);
//   H2: lane 2j + s = tap (2, s);   Z2: lane 2j = tap (2, 2), lane 2j + 1 = 0;   Z2': lane 2j = 0, lane 2j + 1 = tap (2, 2).
import { tapSlots } from "./geometry";

// @ts-ignore: decorator
@inline
function groups(channels: i32): i32 {
  return (channels + 15) >> 4;
}

/** Bytes of the bias and tap-pair sections. */
// @ts-ignore: decorator
@inline
function pairedSize(channels: i32, taps: i32): i32 {
  const g = groups(channels);
  return g * 64 + g * (tapSlots(taps) >> 1) * 64;
}

/** Bytes of one group of 4 channels in the 3x3 section. */
export const SLIDE_GROUP_BYTES = 96;

/** Bytes of a packed block for `channels` (output) channels and `taps` = kH * kW. */
export function dwconvInt8PackedSize(channels: i32, taps: i32): i32 {
  return pairedSize(channels, taps) + (taps == 9 ? groups(channels) * 4 * SLIDE_GROUP_BYTES : 0);
}

/** Start of the 3x3 section of a block packed with taps == 9. */
// @ts-ignore: decorator
@inline
export function slideWeights(packed: usize, channels: i32): usize {
  return packed + <usize>pairedSize(channels, 9);
}

/** Offset of the weight of (channel, tap) from the start of the weights section, in bytes. */
// @ts-ignore: decorator
@inline
export function dwWeightOffset(channel: i32, tap: i32, pairs: i32): usize {
  return <usize>((((channel >> 4) * pairs + (tap >> 1)) * 32 + (channel & 15) * 2 + (tap & 1)) << 1);
}

/**
 * Packs 1HWC int8 weights ([taps][channels], channels = inC * depthMultiplier) and an optional int32 bias
 * (0 = none) for input zero point zpIn and per-tensor weight zero point zpW (0 for symmetric weights).
 */
export function dwconvInt8Pack(dst: usize, weights: usize, bias: usize, channels: i32, taps: i32, zpIn: i32, zpW: i32): void {
  const g = groups(channels);
  const pairs = tapSlots(taps) >> 1;
  const wdst = dst + (<usize>g << 6);
  memory.fill(dst, 0, <usize>dwconvInt8PackedSize(channels, taps));
  for (let c = 0; c < channels; c++) {
    let sum = 0;
    for (let t = 0; t < taps; t++) {
      const w = <i32>load<i8>(weights + <usize>(t * channels + c)) - zpW;
      store<i16>(wdst + dwWeightOffset(c, t, pairs), <i16>w);
      sum += w;
    }
    const b = bias == 0 ? 0 : load<i32>(bias + (<usize>c << 2));
    store<i32>(dst + (<usize>c << 2), b - zpIn * sum);
  }
  if (taps == 9) {
    const slide = slideWeights(dst, channels);
    for (let c = 0; c < channels; c++) {
      const q = slide + <usize>(c >> 2) * SLIDE_GROUP_BYTES + (<usize>(c & 3) << 2);
      for (let t = 0; t < 9; t++) {
        const ky = t / 3, kx = t % 3;
        const w = <i32>load<i8>(weights + <usize>(t * channels + c)) - zpW;
        // V01[kx] at 16 kx (lane ky), H2 at 48 (lane kx), Z2 at 64 (lane 0), Z2' at 80 (lane 1)
        const at: usize = ky < 2 ? (<usize>kx << 4) + (<usize>ky << 1) : kx < 2 ? 48 + (<usize>kx << 1) : 64;
        store<i16>(q + at, <i16>w);
        if (t == 8) store<i16>(q + 82, <i16>w);
      }
    }
  }
}
