// Model -> .wasmq bytes. The model is verified first, so no invalid file is ever written. Deterministic:
// objects are built in a fixed order and metadata.extra is sorted by key, so the same Model always gives
// the same bytes.

import { Builder, type Offset } from 'flatbuffers';
import * as fb from './generated/wasmq.js';
import { DTYPE_TO_FILE, LAYOUT_TO_FILE, OP_KIND_TO_FILE } from './file-enums.js';
import type { Model, ModelMetadata, TensorDef } from './model.js';
import { OP_SIGNATURES } from './op-signatures.js';
import { writeOptions } from './options-codec.js';
import { FILE_IDENTIFIER } from './verify-structure.js';
import { verifyModel, type VerifyOptions } from './verify-model.js';

/** Constant data starts on a 16-byte boundary of the file (schema: force_align: 16). */
export const BUFFER_ALIGNMENT = 16;

function writeBuffer(b: Builder, data: Uint8Array): Offset {
  // createByteVector aligns to 4; aligning the end of the data to 16 first puts its start on 16 as well,
  // and finish() pads the whole file to the largest alignment used, so the offset holds from the file start.
  b.prep(BUFFER_ALIGNMENT, data.byteLength);
  return fb.Buffer.createBuffer(b, b.createByteVector(data));
}

function writeTensor(b: Builder, t: TensorDef): Offset {
  const name = b.createString(t.name);
  const shape = fb.Tensor.createShapeVector(b, t.shape);
  let quant = 0;
  if (t.quant) {
    const scales = fb.Quantization.createScalesVector(b, t.quant.scales);
    // All-zero zero points (symmetric weights, biases) are written as an empty vector: a quarter of the bytes of
    // a small per-channel model would otherwise be zeros.
    const zeroPoints = fb.Quantization.createZeroPointsVector(b, t.quant.zeroPoints.every((z) => z === 0) ? [] : t.quant.zeroPoints);
    quant = fb.Quantization.createQuantization(b, scales, zeroPoints, t.quant.axis);
  }
  fb.Tensor.startTensor(b);
  fb.Tensor.addName(b, name);
  fb.Tensor.addShape(b, shape);
  fb.Tensor.addDtype(b, DTYPE_TO_FILE[t.dtype]);
  if (quant) fb.Tensor.addQuantization(b, quant);
  if (t.buffer !== undefined) fb.Tensor.addBuffer(b, t.buffer);
  return fb.Tensor.endTensor(b);
}

function writeOp(b: Builder, op: Model['ops'][number]): Offset {
  const name = op.name === undefined ? 0 : b.createString(op.name);
  const inputs = fb.Op.createInputsVector(b, op.inputs);
  const outputs = fb.Op.createOutputsVector(b, op.outputs);
  const [optionsType, options] = writeOptions(b, OP_SIGNATURES[op.kind].options, op.options);
  fb.Op.startOp(b);
  fb.Op.addKind(b, OP_KIND_TO_FILE[op.kind]);
  if (name) fb.Op.addName(b, name);
  fb.Op.addInputs(b, inputs);
  fb.Op.addOutputs(b, outputs);
  if (options) {
    fb.Op.addOptionsType(b, optionsType);
    fb.Op.addOptions(b, options);
  }
  return fb.Op.endOp(b);
}

function writeMetadata(b: Builder, m: ModelMetadata): Offset {
  const producer = b.createString(m.producer);
  const calibration = m.calibrationMethod === undefined ? 0 : b.createString(m.calibrationMethod);
  let preprocessing = 0;
  if (m.preprocessing) {
    const p = m.preprocessing;
    preprocessing = fb.Preprocessing.createPreprocessing(
      b, LAYOUT_TO_FILE[p.layout], fb.Preprocessing.createMeanVector(b, p.mean), fb.Preprocessing.createStdVector(b, p.std), p.pixelScale,
    );
  }
  const labels = m.labels === undefined ? 0 : fb.Metadata.createLabelsVector(b, m.labels.map((l) => b.createString(l)));
  let extra = 0;
  if (m.extra !== undefined) {
    const keys = Object.keys(m.extra).sort();
    extra = fb.Metadata.createExtraVector(b, keys.map((k) => fb.KeyValue.createKeyValue(b, b.createString(k), b.createString(m.extra![k]!))));
  }
  fb.Metadata.startMetadata(b);
  fb.Metadata.addProducer(b, producer);
  if (calibration) fb.Metadata.addCalibrationMethod(b, calibration);
  if (preprocessing) fb.Metadata.addPreprocessing(b, preprocessing);
  if (labels) fb.Metadata.addLabels(b, labels);
  if (extra) fb.Metadata.addExtra(b, extra);
  return fb.Metadata.endMetadata(b);
}

/** Serializes a verified model; throws a ModelError (and writes nothing) when verifyModel rejects it. */
export function writeModel(model: Model, options: VerifyOptions = {}): Uint8Array {
  verifyModel(model, options);
  return encodeModel(model);
}

/**
 * Serializes without verifying. Only for tests and tools that must produce a broken file on purpose; the
 * model must still be encodable (known dtypes, kinds and activations).
 */
export function encodeModel(model: Model): Uint8Array {
  const constantBytes = model.buffers.reduce((n, d) => n + d.byteLength, 0);
  const b = new Builder(Math.min(2 ** 30, 1024 + constantBytes + 64 * model.buffers.length));
  const buffers = fb.Model.createBuffersVector(b, model.buffers.map((d) => writeBuffer(b, d)));
  const tensors = fb.Model.createTensorsVector(b, model.tensors.map((t) => writeTensor(b, t)));
  const ops = fb.Model.createOpsVector(b, model.ops.map((op) => writeOp(b, op)));
  const inputs = fb.Model.createInputsVector(b, model.inputs);
  const outputs = fb.Model.createOutputsVector(b, model.outputs);
  const metadata = writeMetadata(b, model.metadata);
  fb.Model.startModel(b);
  fb.Model.addVersion(b, model.version);
  fb.Model.addTensors(b, tensors);
  fb.Model.addBuffers(b, buffers);
  fb.Model.addOps(b, ops);
  fb.Model.addInputs(b, inputs);
  fb.Model.addOutputs(b, outputs);
  fb.Model.addMetadata(b, metadata);
  b.finish(fb.Model.endModel(b), FILE_IDENTIFIER);
  return b.asUint8Array().slice();
}
