// Packing of int8 depthwise weights, once at prepare time, into the layout both int8 kernels read:
//   [ effective bias: i32 x 16G ][ weights: G groups of 16 channels x P tap pairs x 32 i16 ]
// G = ceil(channels / 16), P = ceil(taps / 2). Within a pair block, i16 lane 2j + s holds channel j's weight of
// tap 2p + s, so each 8-lane vector pairs the two taps of four channels for i32x4.dot_i16x8_s. Weights are
// stored minus the weight zero point, widened to i16 (|w - zpW| <= 255), and padding channels / the dummy tap
// of an odd count are 0. The zero-point terms that depend only on weights are folded into the bias (§2):
//   acc = sum_t (x_t - zpIn)(w_t - zpW) = sum_t x_t (w_t - zpW)  +  [ bias - zpIn * sum_t (w_t - zpW) ]
// where padded taps read x = zpIn, so they add exactly nothing.
// 3x3 and 5x5 kernels (taps == 9 or 25) get a second copy of the weights, for the column-sliding kernels
// (slide3x3.ts, slide5x5.ts), after the two sections above: per group of 4 channels, vectors of 8 i16 with the
// taps of a column paired vertically (ky 2p, 2p + 1), the last row's taps paired across columns (kx 2q, 2q + 1)
// and its last tap alone. For a k x k window (k = 3 or 5), j a channel of the group, s 0 or 1:
//   V[p][kx] (p < k / 2, kx < k) at 16 (p k + kx): lane 2j + s = channel j's weight of tap (2p + s, kx);
//   H[q] (q < k / 2) after them: lane 2j + s = tap (k - 1, 2q + s);
//   Z last: lane 2j = tap (k - 1, k - 1), lane 2j + 1 = 0;
//   3x3 only, Z' after Z: lane 2j = 0, lane 2j + 1 = tap (2, 2) (slide3x3.ts pairs that tap on either lane).
// 3x3: V01[0..2], H2, Z2, Z2' (96 bytes); 5x5: V01[0..4], V23[0..4], H4[0..1], Z4 (208 bytes).
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
/** Bytes of one group of 4 channels in the 5x5 section. */
export const SLIDE5_GROUP_BYTES = 208;

/** The side k of the sliding kernels' window for `taps` (9 -> 3, 25 -> 5), or 0: no sliding section. */
// @ts-ignore: decorator
@inline
function slideSide(taps: i32): i32 {
  return taps == 9 ? 3 : taps == 25 ? 5 : 0;
}

/** Bytes of a packed block for `channels` (output) channels and `taps` = kH * kW. */
export function dwconvInt8PackedSize(channels: i32, taps: i32): i32 {
  const k = slideSide(taps);
  return pairedSize(channels, taps) + (k == 0 ? 0 : groups(channels) * 4 * (k == 3 ? SLIDE_GROUP_BYTES : SLIDE5_GROUP_BYTES));
}

/** Start of the sliding section of a block packed with taps == 9 (default) or 25. */
// @ts-ignore: decorator
@inline
export function slideWeights(packed: usize, channels: i32, taps: i32 = 9): usize {
  return packed + <usize>pairedSize(channels, taps);
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
  const k = slideSide(taps);
  if (k != 0) {
    const slide = slideWeights(dst, channels, taps);
    const groupBytes: usize = k == 3 ? SLIDE_GROUP_BYTES : SLIDE5_GROUP_BYTES;
    const last = k - 1, lastRow: usize = <usize>((k >> 1) * k) << 4; // where H[0] starts
    for (let c = 0; c < channels; c++) {
      const q = slide + <usize>(c >> 2) * groupBytes + (<usize>(c & 3) << 2);
      for (let t = 0; t < taps; t++) {
        const ky = t / k, kx = t % k;
        const w = <i32>load<i8>(weights + <usize>(t * channels + c)) - zpW;
        const at: usize = ky < last ? (<usize>((ky >> 1) * k + kx) << 4) + (<usize>(ky & 1) << 1)
          : kx < last ? lastRow + (<usize>(kx >> 1) << 4) + (<usize>(kx & 1) << 1) : lastRow + (<usize>(k >> 1) << 4);
        store<i16>(q + at, <i16>w);
        if (k == 3 && t == 8) store<i16>(q + 82, <i16>w); // Z2', lane 1
      }
    }
  }
}
