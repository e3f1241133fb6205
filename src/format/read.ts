// .wasmq bytes -> Model, trusting nothing: the structural verifier walks the whole FlatBuffer before any
// generated accessor runs, the decoder rejects unknown enum values, and verifyModel checks the meaning.
// The input bytes are never modified; constant buffers are copied unless the caller opts out.

import { ByteBuffer } from 'flatbuffers';
import * as fb from './generated/wasmq.js';
import { ModelError } from './errors.js';
import { DTYPE_FROM_FILE, LAYOUT_FROM_FILE, OP_KIND_FROM_FILE } from './file-enums.js';
import { resolveLimits } from './limits.js';
import type { Model, ModelMetadata, OpDef, TensorDef } from './model.js';
import { OP_SIGNATURES } from './op-signatures.js';
import { readOptions } from './options-codec.js';
import { FORMAT_VERSION, MIN_FORMAT_VERSION, verifyModel, type VerifyOptions } from './verify-model.js';
import { verifyStructure } from './verify-structure.js';

export interface ReadOptions extends VerifyOptions {
  /**
   * Copy constant buffers out of `bytes` (default true). With false, Model.buffers are views into `bytes`:
   * no second copy of the weights, but the caller must then keep `bytes` alive and unchanged.
   */
  copyBuffers?: boolean;
}

function list<T>(length: number, at: (i: number) => T): T[] {
  const out = new Array<T>(length);
  for (let i = 0; i < length; i++) out[i] = at(i);
  return out;
}

function readTensor(t: fb.Tensor, index: number): TensorDef {
  const name = t.name();
  const where = `tensor ${index} '${name}'`;
  const dtype = DTYPE_FROM_FILE.get(t.dtype());
  if (dtype === undefined) throw new ModelError('BAD_TYPE', `${where}: unknown dtype ${t.dtype()}`);
  if (t.bits() !== 0 || t.packing() !== fb.Packing.None) {
    throw new ModelError('BAD_TYPE', `${where}: packed ${t.bits()}-bit elements (packing ${t.packing()}) are not supported by this version`);
  }
  const tensor: TensorDef = { name, shape: list(t.shapeLength(), (i) => t.shape(i)!), dtype };
  const q = t.quantization();
  if (q) {
    tensor.quant = {
      scales: Float32Array.from(list(q.scalesLength(), (i) => q.scales(i)!)),
      // An empty vector stands for all-zero zero points (see the schema).
      zeroPoints: q.zeroPointsLength() === 0 ? new Int32Array(q.scalesLength()) : Int32Array.from(list(q.zeroPointsLength(), (i) => q.zeroPoints(i)!)),
      axis: q.axis(),
    };
  }
  const buffer = t.buffer();
  if (buffer !== -1) tensor.buffer = buffer;
  return tensor;
}

function readOp(op: fb.Op, index: number): OpDef {
  const name = op.name();
  const kind = OP_KIND_FROM_FILE.get(op.kind());
  const where = `op ${index}${name === null ? '' : ` '${name}'`} (${kind ?? `kind ${op.kind()}`})`;
  if (kind === undefined) throw new ModelError('BAD_OP', `${where}: unknown op kind ${op.kind()} (a newer wasmq may know it)`);
  const def = {
    kind,
    inputs: list(op.inputsLength(), (i) => op.inputs(i)!),
    outputs: list(op.outputsLength(), (i) => op.outputs(i)!),
    options: readOptions(op, OP_SIGNATURES[kind].options, where),
  } as OpDef;
  if (name !== null) def.name = name;
  return def;
}

function readMetadata(m: fb.Metadata): ModelMetadata {
  const metadata: ModelMetadata = { producer: m.producer() };
  const calibration = m.calibrationMethod();
  if (calibration !== null) metadata.calibrationMethod = calibration;
  const p = m.preprocessing();
  if (p) {
    const layout = LAYOUT_FROM_FILE.get(p.layout());
    if (layout === undefined) throw new ModelError('BAD_METADATA', `metadata.preprocessing.layout: unknown layout ${p.layout()}`);
    metadata.preprocessing = {
      layout,
      mean: list(p.meanLength(), (i) => p.mean(i)!),
      std: list(p.stdLength(), (i) => p.std(i)!),
      pixelScale: p.pixelScale(),
    };
  }
  // A present but empty vector reads back as [] (length 0 is also what an absent one reports).
  if (hasField(m, 10)) metadata.labels = list(m.labelsLength(), (i) => m.labels(i));
  if (hasField(m, 12)) {
    const extra: Record<string, string> = {};
    for (let i = 0; i < m.extraLength(); i++) {
      const kv = m.extra(i)!;
      const key = kv.key();
      if (Object.prototype.hasOwnProperty.call(extra, key)) throw new ModelError('BAD_METADATA', `metadata.extra: key '${key}' appears twice`);
      // defineProperty keeps keys such as "__proto__" plain data
      Object.defineProperty(extra, key, { value: kv.value(), enumerable: true, writable: true, configurable: true });
    }
    metadata.extra = extra;
  }
  return metadata;
}

/** True when the table has the field at vtable offset `slotOffset` (4 + 2 * field index). */
function hasField(t: { bb: ByteBuffer | null; bb_pos: number }, slotOffset: number): boolean {
  return t.bb!.__offset(t.bb_pos, slotOffset) !== 0;
}

/** Parses and fully verifies a .wasmq file; throws a ModelError naming what is wrong. */
export function readModel(bytes: Uint8Array, options: ReadOptions = {}): Model {
  verifyStructure(bytes);
  const limits = resolveLimits(options.limits);
  const root = fb.Model.getRootAsModel(new ByteBuffer(bytes));
  const version = root.version();
  if (version < MIN_FORMAT_VERSION || version > FORMAT_VERSION) {
    throw new ModelError('UNSUPPORTED_VERSION', `file format version ${version} is not supported (this build reads ${MIN_FORMAT_VERSION} to ${FORMAT_VERSION})`);
  }
  const counts: [string, number, number][] = [
    ['tensors', root.tensorsLength(), limits.maxTensors],
    ['buffers', root.buffersLength(), limits.maxBuffers],
    ['ops', root.opsLength(), limits.maxOps],
  ];
  for (const [field, n, max] of counts) {
    if (n > max) throw new ModelError('TOO_LARGE', `model.${field} has ${n} entries, the limit is ${max}`);
  }
  const copy = options.copyBuffers ?? true;
  const model: Model = {
    version,
    tensors: list(root.tensorsLength(), (i) => readTensor(root.tensors(i)!, i)),
    buffers: list(root.buffersLength(), (i) => {
      const data = root.buffers(i)!.dataArray();
      return copy ? data.slice() : data;
    }),
    ops: list(root.opsLength(), (i) => readOp(root.ops(i)!, i)),
    inputs: list(root.inputsLength(), (i) => root.inputs(i)!),
    outputs: list(root.outputsLength(), (i) => root.outputs(i)!),
    metadata: readMetadata(root.metadata()!),
  };
  verifyModel(model, options);
  return model;
}
