// Element-wise functions of one 8-bit tensor through a 256-byte table (QUANTIZATION.md §3): out = table[byte],
// indexed by the input's raw byte (int8 q at q & 0xff, uint8 q at q). Tables come from src/quant/lut.ts.
// SIMD: i8x16.swizzle looks up 16 entries and yields 0 for indices >= 16, so the table is 16 sub-tables and
// sub-table j sees index (byte - 16 j) mod 256, which lands in 0..15 for exactly one j; OR-ing the 16 lookups
// gives the entry.

/** out[i] = table[in[i] & 0xff] for i < n (SIMD). In place (out == input) is allowed. */
export function lut8(input: usize, output: usize, n: i32, table: usize): void {
  const t0 = v128.load(table), t1 = v128.load(table, 16), t2 = v128.load(table, 32), t3 = v128.load(table, 48);
  const t4 = v128.load(table, 64), t5 = v128.load(table, 80), t6 = v128.load(table, 96), t7 = v128.load(table, 112);
  const t8 = v128.load(table, 128), t9 = v128.load(table, 144), t10 = v128.load(table, 160), t11 = v128.load(table, 176);
  const t12 = v128.load(table, 192), t13 = v128.load(table, 208), t14 = v128.load(table, 224), t15 = v128.load(table, 240);
  const step = i8x16.splat(16);
  let i = 0;
  for (; i + 16 <= n; i += 16) {
    let x = v128.load(input + <usize>i);
    let r = i8x16.swizzle(t0, x);
    x = i8x16.sub(x, step); r = v128.or(r, i8x16.swizzle(t1, x));
    x = i8x16.sub(x, step); r = v128.or(r, i8x16.swizzle(t2, x));
    x = i8x16.sub(x, step); r = v128.or(r, i8x16.swizzle(t3, x));
    x = i8x16.sub(x, step); r = v128.or(r, i8x16.swizzle(t4, x));
    x = i8x16.sub(x, step); r = v128.or(r, i8x16.swizzle(t5, x));
    x = i8x16.sub(x, step); r = v128.or(r, i8x16.swizzle(t6, x));
    x = i8x16.sub(x, step); r = v128.or(r, i8x16.swizzle(t7, x));
    x = i8x16.sub(x, step); r = v128.or(r, i8x16.swizzle(t8, x));
    x = i8x16.sub(x, step); r = v128.or(r, i8x16.swizzle(t9, x));
    x = i8x16.sub(x, step); r = v128.or(r, i8x16.swizzle(t10, x));
    x = i8x16.sub(x, step); r = v128.or(r, i8x16.swizzle(t11, x));
    x = i8x16.sub(x, step); r = v128.or(r, i8x16.swizzle(t12, x));
    x = i8x16.sub(x, step); r = v128.or(r, i8x16.swizzle(t13, x));
    x = i8x16.sub(x, step); r = v128.or(r, i8x16.swizzle(t14, x));
    x = i8x16.sub(x, step); r = v128.or(r, i8x16.swizzle(t15, x));
    v128.store(output + <usize>i, r);
  }
  for (; i < n; i++) store<u8>(output + <usize>i, load<u8>(table + <usize>load<u8>(input + <usize>i)));
}

/** Scalar twin of lut8 (one load per element), the baseline lut8 is measured against. */
export function lut8Scalar(input: usize, output: usize, n: i32, table: usize): void {
  for (let i = 0; i < n; i++) store<u8>(output + <usize>i, load<u8>(table + <usize>load<u8>(input + <usize>i)));
}
