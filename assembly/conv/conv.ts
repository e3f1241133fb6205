// int8 Conv2D, NHWC input, OHWI weights packed by gemmPack(.., cout, kh * kw, cin, zpIn, zpW), fused
// requantization and clamp. Pointwise convs run the dense GEMM on the input itself; every other conv runs
// the indirect GEMM over the workspace's indirection table.
import { gemm, igemm } from "../gemm/gemm";
import { indirectCorrections } from "../gemm/corrections";
import { field, outputPixels, convIsPointwise, CIN, COUT, K_H, K_W, ZP_W, ZP_OUT, QMIN, QMAX } from "./descriptor";
import { convSetup, correctionsAt } from "./workspace";

/** output (NHWC int8 [batch][outH][outW][cout]) = conv(input); ws: convWorkspaceSize bytes. */
export function conv(desc: usize, input: usize, ws: usize, packed: usize, output: usize, params: usize): void {
  const m = outputPixels(desc);
  const cin = field(desc, CIN), cout = field(desc, COUT);
  const zpW = field(desc, ZP_W);
  const corr = correctionsAt(desc, ws);
  if (convIsPointwise(desc)) {
    gemm(m, cout, cin, input, <usize>cin, packed, output, <usize>cout, params,
      field(desc, ZP_OUT), field(desc, QMIN), field(desc, QMAX), zpW, corr);
    return;
  }
  if (load<u32>(ws) != <u32>input) convSetup(desc, input, ws);
  const taps = field(desc, K_H) * field(desc, K_W);
  const ind = ws + 16;
  if (zpW != 0) indirectCorrections(ind, m, taps, cin, zpW, corr);
  igemm(m, cout, taps, cin, ind, packed, output, <usize>cout, params,
    field(desc, ZP_OUT), field(desc, QMIN), field(desc, QMAX), zpW != 0 ? corr : 0);
}
