// Conv weights (OHWI int8 [cout][kH][kW][cin], int32 bias [cout] or 0) packed for the way the conv runs.
import { gemmPackedSize, gemmPack } from "../gemm/pack";
import { field, D_OUT_C, D_ZP_IN } from "../dwconv/geometry";
import { D_ZP_W, packedTaps, packedKc } from "./descriptor";

export function convPackedSize(desc: usize): usize {
  return gemmPackedSize(field(desc, D_OUT_C), packedTaps(desc), packedKc(desc));
}

export function convPack(desc: usize, dst: usize, weights: usize, bias: usize): void {
  gemmPack(dst, weights, bias, field(desc, D_OUT_C), packedTaps(desc), packedKc(desc), field(desc, D_ZP_IN), field(desc, D_ZP_W));
}
