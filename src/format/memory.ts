// Byte sizes the runtime's planner needs to check a model against its memory budget (arena + weights).

import { DTYPE_SIZE, type Model, type TensorDef } from './model.js';
import { elementCount } from './shape-math.js';

/** Bytes of one tensor's data: elements x element size. */
export function tensorByteSize(t: TensorDef): number {
  return elementCount(t.shape) * DTYPE_SIZE[t.dtype];
}

export interface ModelMemory {
  /** bytes of the distinct buffers that constant tensors reference */
  constantBytes: number;
  /** per tensor index: bytes an activation needs in the arena, 0 for constants */
  activationBytes: number[];
}

/** For a verified model: what the weights occupy and what each activation needs. */
export function modelMemory(model: Model): ModelMemory {
  const used = new Set<number>();
  const activationBytes = model.tensors.map((t) => {
    if (t.buffer === undefined) return tensorByteSize(t);
    used.add(t.buffer);
    return 0;
  });
  let constantBytes = 0;
  for (const b of used) constantBytes += model.buffers[b]!.byteLength;
  return { constantBytes, activationBytes };
}
