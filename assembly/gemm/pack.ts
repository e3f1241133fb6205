// Packs int8 weights [n][taps][kc] (GEMM: taps = 1, kc = K; conv OHWI: taps = kh * kw, kc = cin) once into
// the microkernel layout (layout.ts), folding every weight-only term of QUANTIZATION.md §2 into the bias:
//   bias' = bias - zpIn * sum_k w + K * zpIn * zpW        (K = taps * kc)
// The data-dependent term -zpW * sum_k x is added per output row at run time (corrections.ts).
import { NR, NR_C8, pairedK, groupedK, blockBytes, blockBytesC8, usesC8 } from "./layout";

/** Bytes of the packed weights for n output channels. */
export function gemmPackedSize(n: i32, taps: i32, kc: i32): usize {
  if (usesC8(taps, kc)) return <usize>((n + NR_C8 - 1) / NR_C8) * blockBytesC8(taps, kc);
  return <usize>((n + NR - 1) / NR) * blockBytes(taps, kc);
}

/** Packs weights (int8 [n][taps][kc]) and bias (int32 [n], or 0 for none) into dst (gemmPackedSize bytes). */
export function gemmPack(dst: usize, weights: usize, bias: usize, n: i32, taps: i32, kc: i32, zpIn: i32, zpW: i32): void {
  const c8 = usesC8(taps, kc);
  const nr = c8 ? NR_C8 : NR;
  // k steps in the order the microkernel reads them: pairs of k per channel (c2) or groups of 8 (c8).
  const kStep = c8 ? 8 : 2;
  const kcp = c8 ? groupedK(kc) : pairedK(kc);
  const perChannel = <usize>taps * <usize>kc;
  const kTotal = <i32>perChannel;
  for (let n0 = 0; n0 < n; n0 += nr) {
    // Effective biases (int32 arithmetic wraps, as the accumulation itself does).
    for (let j = 0; j < nr; j++) {
      const ch = n0 + j;
      let b: i32 = 0;
      if (ch < n) {
        const row = weights + <usize>ch * perChannel;
        let sum: i32 = 0;
        for (let i = 0; i < kTotal; i++) sum += <i32>load<i8>(row + <usize>i);
        b = (bias != 0 ? load<i32>(bias + (<usize>ch << 2)) : 0) - zpIn * sum + kTotal * zpIn * zpW;
      }
      store<i32>(dst + (<usize>j << 2), b);
    }
    dst += <usize>(nr * 4);
    for (let t = 0; t < taps; t++) {
      for (let k = 0; k < kcp; k += kStep) {
        for (let j = 0; j < nr; j++) {
          const ch = n0 + j;
          for (let q = 0; q < kStep; q++) {
            let v: i16 = 0;
            if (ch < n && k + q < kc) v = <i16>load<i8>(weights + <usize>ch * perChannel + <usize>t * <usize>kc + <usize>(k + q));
            store<i16>(dst, v);
            dst += 2;
          }
        }
      }
    }
  }
}
