// A decoded image: 8-bit samples, rows top to bottom, channels interleaved (HWC). RGB (3) or gray (1).
export interface Image {
  width: number;
  height: number;
  channels: 1 | 3;
  data: Uint8Array;
}
