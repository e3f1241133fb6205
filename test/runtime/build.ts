// A small in-memory model builder for runtime tests: tensors and ops appended in order, plain Model out.
import type { DType, Model, OpDef, OpKind, OpOptionsByKind, TensorDef } from '../../src/format/model.js';

export interface Q {
  scale: number | number[];
  zeroPoint?: number | number[];
  axis?: number;
}

export class GraphBuilder {
  readonly tensors: TensorDef[] = [];
  readonly buffers: Uint8Array[] = [];
  readonly ops: OpDef[] = [];
  inputs: number[] = [];
  outputs: number[] = [];

  tensor(name: string, shape: number[], dtype: DType, q?: Q, data?: ArrayBufferView): number {
    const t: TensorDef = { name, shape, dtype };
    if (q) {
      const scales = Array.isArray(q.scale) ? q.scale : [q.scale];
      const zps = q.zeroPoint === undefined ? scales.map(() => 0) : Array.isArray(q.zeroPoint) ? q.zeroPoint : [q.zeroPoint];
      t.quant = { scales: Float32Array.from(scales), zeroPoints: Int32Array.from(zps), axis: q.axis ?? (scales.length > 1 ? 0 : -1) };
    }
    if (data) {
      t.buffer = this.buffers.length;
      this.buffers.push(new Uint8Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength)));
    }
    return this.tensors.push(t) - 1;
  }

  input(name: string, shape: number[], dtype: DType, q?: Q): number {
    const i = this.tensor(name, shape, dtype, q);
    this.inputs.push(i);
    return i;
  }

  op<K extends OpKind>(kind: K, inputs: number[], outputs: number[], options: OpOptionsByKind[K], name?: string): void {
    this.ops.push({ kind, inputs, outputs, options, ...(name ? { name } : {}) } as OpDef);
  }

  build(...outputs: number[]): Model {
    return { version: 1, tensors: this.tensors, buffers: this.buffers, ops: this.ops, inputs: this.inputs, outputs, metadata: { producer: 'test' } };
  }
}
