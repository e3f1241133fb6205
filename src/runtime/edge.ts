// uint8 data in the int8 kernels' representation (q - 128) back to uint8, for observers (sessions use flipSign8).
export function int8ToUint8(src: Int8Array, dst: Uint8Array): void {
  for (let i = 0; i < dst.length; i++) dst[i] = src[i] ^ 0x80;
}
