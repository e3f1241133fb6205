// Constant Pad of an 8-bit tensor of rank <= 6 (the TS helper prepends size-1 axes to make it 6-D).
// The pad value is the output zero point (real 0). Each output row of the innermost axis is written once:
// a row outside the input is filled, a row inside gets fill | copy | fill.
// Descriptor, 19 i32: [inShape 0..5, before 0..5, after 0..5, value]

/** Pads `input` into `output` (which must not overlap it); see the descriptor above. */
export function pad8(input: usize, output: usize, desc: usize): void {
  const i0 = load<i32>(desc), i1 = load<i32>(desc, 4), i2 = load<i32>(desc, 8), i3 = load<i32>(desc, 12), i4 = load<i32>(desc, 16), i5 = load<i32>(desc, 20);
  const b0 = load<i32>(desc, 24), b1 = load<i32>(desc, 28), b2 = load<i32>(desc, 32), b3 = load<i32>(desc, 36), b4 = load<i32>(desc, 40), b5 = load<i32>(desc, 44);
  const o0 = i0 + b0 + load<i32>(desc, 48), o1 = i1 + b1 + load<i32>(desc, 52), o2 = i2 + b2 + load<i32>(desc, 56);
  const o3 = i3 + b3 + load<i32>(desc, 60), o4 = i4 + b4 + load<i32>(desc, 64);
  const after5 = load<i32>(desc, 68);
  const value = <u8>load<i32>(desc, 72);
  const outRow = <usize>(i5 + b5 + after5), inRow = <usize>i5;
  let dst = output;
  for (let x0 = 0; x0 < o0; x0++) {
    const y0 = x0 - b0, in0 = <u32>y0 < <u32>i0;
    for (let x1 = 0; x1 < o1; x1++) {
      const y1 = x1 - b1, in1 = in0 && <u32>y1 < <u32>i1;
      for (let x2 = 0; x2 < o2; x2++) {
        const y2 = x2 - b2, in2 = in1 && <u32>y2 < <u32>i2;
        for (let x3 = 0; x3 < o3; x3++) {
          const y3 = x3 - b3, in3 = in2 && <u32>y3 < <u32>i3;
          for (let x4 = 0; x4 < o4; x4++) {
            const y4 = x4 - b4;
            if (in3 && <u32>y4 < <u32>i4) {
              const src = input + (<usize>((((y0 * i1 + y1) * i2 + y2) * i3 + y3) * i4 + y4)) * inRow;
              memory.fill(dst, value, <usize>b5);
              memory.copy(dst + <usize>b5, src, inRow);
              memory.fill(dst + <usize>b5 + inRow, value, <usize>after5);
            } else {
              memory.fill(dst, value, outRow);
            }
            dst += outRow;
          }
        }
      }
    }
  }
}
