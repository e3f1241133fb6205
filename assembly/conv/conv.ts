// int8 Conv2D, NHWC input, OHWI weights packed by convPack, fused requantization and clamp.
// Pointwise convs run the dense GEMM on the input itself; others gather each tile's windows through the
// workspace's indirection table into contiguous rows and run the shared GEMM microkernels on them.
import { MR, usesC8 } from "../gemm/layout";
import { gemm } from "../gemm/gemm";
import { tilesC2, tileC8 } from "../gemm/tiles";
import { indirectCorrections } from "../gemm/corrections";
import { requantCapacity } from "../requant";
import { gemmRequantMode } from "../gemm/mode";
import { field, D_IN_C, D_OUT_C, D_OUT_H, D_OUT_W, D_ZP_OUT, D_QMIN, D_QMAX } from "../dwconv/geometry";
import { D_ZP_W, MODE_POINTWISE, convMode, outputPixels, taps } from "./descriptor";
import { gatherRuns, runGatherApplies } from "./runs";
import { convSetup, correctionsAt, indirectionAt, gatherAt, gatherRowStride } from "./workspace";

/** output (NHWC int8 [batch][outH][outW][cout]) = conv(input); ws: convWorkspaceSize bytes. */
export function conv(desc: usize, input: usize, ws: usize, packed: usize, output: usize, params: usize): void {
  const m = outputPixels(desc);
  const cin = field(desc, D_IN_C), cout = field(desc, D_OUT_C);
  const zpW = field(desc, D_ZP_W);
  const zpOut = field(desc, D_ZP_OUT), qmin = field(desc, D_QMIN), qmax = field(desc, D_QMAX);
  const corr = correctionsAt(desc, ws);
  const mode = convMode(desc);
  if (mode == MODE_POINTWISE) {
    gemm(m, cout, cin, input, <usize>cin, packed, output, <usize>cout, params, zpOut, qmin, qmax, zpW, corr);
    return;
  }
  if (load<u32>(ws) != <u32>input) convSetup(desc, input, ws);
  const nTaps = taps(desc);
  const ind = indirectionAt(ws);
  if (zpW != 0) indirectCorrections(ind, m, nTaps, cin, zpW, corr);
  const rowCorr: usize = zpW != 0 ? corr : 0;
  const tile = gatherAt(desc, ws);
  const stride = gatherRowStride(desc);
  const kk = nTaps * cin;
  const prow = <usize>requantCapacity(cout) << 2;
  const rqMode = gemmRequantMode(params, cout, zpOut, qmin, qmax, packed, kk, zpW);
  const c8 = usesC8(1, kk);
  const runs = !c8 && runGatherApplies(desc);
  const outW = field(desc, D_OUT_W), outH = field(desc, D_OUT_H);
  let ox0 = 0, oy = 0, b = 0; // the tile's first output pixel
  let ip = ind;
  for (let m0 = 0; m0 < m; m0 += MR) {
    // Vector copies in tap order: each tap's spill-over is overwritten by the next; reads stay within the
    // 16 bytes of slack past the input and the zpIn row. For the 4x8c2 kernel the rows are widened to i16
    // on the way, which saves its per-pair broadcast shuffles.
    const mr = min(MR, m - m0);
    const cTile = output + <usize>m0 * <usize>cout;
    const tileCorr = rowCorr != 0 ? rowCorr + (<usize>m0 << 2) : 0;
    if (!runs || !gatherRuns(desc, input, tile, stride, b, oy, ox0)) for (let r = 0; r < MR; r++) {
      let dst = tile + <usize>(MR * 4) + <usize>r * stride;
      let slot = ip + (<usize>r << 2);
      for (let t = 0; t < nTaps; t++) {
        const src = <usize>load<u32>(slot);
        if (c8) {
          for (let i = 0; i < cin; i += 16) v128.store(dst + <usize>i, v128.load(src + <usize>i));
          dst += <usize>cin;
        } else if (cin <= 8) {
          v128.store(dst, v128.load8x8_s(src)); // the first layer's 3 channels: one copy, no loop
          dst += <usize>cin << 1;
        } else {
          for (let i = 0; i < cin; i += 8) v128.store(dst + (<usize>i << 1), v128.load8x8_s(src + <usize>i));
          dst += <usize>cin << 1;
        }
        slot += <usize>(MR * 4);
      }
    }
    if (c8) tileC8(mr, cout, kk, tile, packed, cTile, <usize>cout, tileCorr, params, prow, 0, zpOut, qmin, qmax, rqMode);
    else tilesC2(mr, cout, kk, tile + <usize>(MR * 4), packed, cTile, <usize>cout, tileCorr, params, prow, 0, zpOut, qmin, qmax, rqMode);
    ip += <usize>nTaps * <usize>(MR * 4);
    for (ox0 += MR; ox0 >= outW; ox0 -= outW) if (++oy == outH) { oy = 0; b++; }
  }
}
