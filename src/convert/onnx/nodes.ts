// ONNX nodes -> IR nodes, with attribute-vs-input forms normalized by opset (opsets 9-21). Parameters that newer
// opsets pass as inputs (Clip min/max, Pad pads, ReduceMean/Squeeze/Unsqueeze axes, Reshape shape, Slice
// starts/ends) stay inputs; the ops read them from constants.
import type { AutoPad, IrDType, IrNode, PoolAttrs } from '../ir/graph.js';
import { ConvertError } from '../ir/errors.js';
import { Attributes } from './attributes.js';
import { elemTypeOf } from './dtype.js';
import { irDType } from './tensor.js';
import type { NodeProto } from './proto.js';

/** ONNX op types wasmq imports (Constant is turned into a constant tensor by the importer). */
export const SUPPORTED_OPS = new Set([
  'Conv', 'BatchNormalization', 'Relu', 'Clip', 'LeakyRelu', 'Sigmoid', 'HardSigmoid', 'HardSwish', 'Tanh', 'Add',
  'Mul', 'Concat', 'MaxPool', 'AveragePool', 'GlobalAveragePool', 'ReduceMean', 'Gemm', 'MatMul', 'Flatten',
  'Reshape', 'Pad', 'Softmax', 'Transpose', 'Identity', 'Dropout', 'Constant', 'Squeeze', 'Unsqueeze',
  // shape computations, accepted only because constant folding removes them
  'Shape', 'Gather', 'Slice', 'Cast', 'Sub', 'Div', 'ConstantOfShape',
]);

export function nodeLabel(n: NodeProto, index: number): string {
  return `node '${n.name || `#${index}`}' (${n.opType})`;
}

/**
 * Why a node cannot be imported (op type, domain or an unsupported attribute form), or undefined. `constant`
 * gives the value of an initializer or Constant output by name (undefined when the input is not constant).
 */
export function unsupportedReason(n: NodeProto, constant: (name: string) => ArrayLike<number> | undefined): string | undefined {
  if (n.domain && n.domain !== 'ai.onnx') return `domain '${n.domain}' is not supported`;
  if (!SUPPORTED_OPS.has(n.opType ?? '')) return 'op type is not supported';
  const attr = (name: string) => n.attribute.find((a) => a.name === name);
  const text = (name: string) => (attr(name)?.s ? new TextDecoder().decode(attr(name)!.s) : undefined);
  switch (n.opType) {
    case 'Pad': {
      const mode = text('mode') ?? 'constant';
      if (mode !== 'constant') return `Pad mode '${mode}' is not supported (only constant)`;
      if (n.input[3]) return 'the axes input of Pad is not supported';
      break;
    }
    case 'Conv': case 'MaxPool': case 'AveragePool': {
      const k = attr('kernel_shape')?.ints;
      if (k && k.length !== 2) return `${k.length}D windows are not supported (only 2D)`;
      const d = attr('dilations')?.ints;
      if (n.opType !== 'Conv' && d && d.some((x) => Number(x) !== 1)) return 'dilated pooling is not supported';
      if (n.opType === 'MaxPool' && n.output.length > 1 && n.output[1]) return 'the Indices output of MaxPool is not supported';
      break;
    }
    case 'BatchNormalization':
      if (Number(attr('training_mode')?.i ?? 0) !== 0 || n.output.filter(Boolean).length > 1) return 'training-mode BatchNormalization is not supported';
      break;
    case 'Constant':
      if (!attr('value') && !attr('value_float') && !attr('value_floats') && !attr('value_int') && !attr('value_ints')) return 'only tensor and numeric Constant values are supported';
      break;
    case 'Cast': {
      const to = elemTypeOf(Number(attr('to')?.i ?? 0));
      if (!to || to === 'float16') return `Cast to ${to ?? 'this type'} is not supported`;
      break;
    }
    case 'Dropout': {
      if (n.output[1]) return 'the mask output of Dropout is not supported';
      const mode = n.input[2] ? constant(n.input[2]) : undefined;
      if (n.input[2] && (!mode || mode[0] !== 0)) return 'training-mode Dropout is not supported';
      break;
    }
  }
  return undefined;
}

const autoPadOf = (a: Attributes, label: string): AutoPad => {
  const v = a.string('auto_pad', 'NOTSET');
  if (v !== 'NOTSET' && v !== 'SAME_UPPER' && v !== 'SAME_LOWER' && v !== 'VALID') throw new ConvertError('UNSUPPORTED_ATTRIBUTE', `${label}: auto_pad '${v}'`);
  return v;
};

function poolAttrs(a: Attributes, label: string, kernel: [number, number] | undefined): PoolAttrs {
  if (!kernel) throw new ConvertError('MALFORMED_ONNX', `${label}: kernel_shape is required`);
  return {
    kernel, strides: a.pair('strides', 1), pads: a.pads4(), autoPad: autoPadOf(a, label),
    ceilMode: a.int('ceil_mode', 0) !== 0, countIncludePad: a.int('count_include_pad', 0) !== 0, activation: 'none',
  };
}

/** Translates one supported, non-Constant ONNX node (trailing empty optional inputs dropped). */
export function translateNode(n: NodeProto, index: number, opset: number): IrNode {
  const label = nodeLabel(n, index);
  const a = new Attributes(n, label);
  const name = n.name || `${n.opType}_${index}`;
  const inputs = [...n.input];
  while (inputs.length && inputs[inputs.length - 1] === '') inputs.pop();
  const outputs = [n.output[0] ?? ''];
  const base = { name, inputs, outputs };
  switch (n.opType) {
    case 'Conv':
      return {
        ...base, op: 'Conv', attrs: {
          strides: a.pair('strides', 1), dilations: a.pair('dilations', 1), pads: a.pads4(), autoPad: autoPadOf(a, label),
          group: a.int('group', 1), activation: 'none',
        },
      };
    case 'BatchNormalization':
      return { ...base, op: 'BatchNorm', attrs: { epsilon: a.float('epsilon', 1e-5) } };
    case 'Relu': return { ...base, op: 'Relu', attrs: {} };
    case 'Sigmoid': return { ...base, op: 'Sigmoid', attrs: {} };
    case 'Tanh': return { ...base, op: 'Tanh', attrs: {} };
    case 'HardSwish': return { ...base, op: 'HardSwish', attrs: {} };
    case 'Identity': return { ...base, op: 'Identity', attrs: {} };
    case 'Dropout': return { ...base, inputs: inputs.slice(0, 1), op: 'Dropout', attrs: {} };
    case 'LeakyRelu': return { ...base, op: 'LeakyRelu', attrs: { alpha: a.float('alpha', 0.01) } };
    case 'HardSigmoid': return { ...base, op: 'HardSigmoid', attrs: { alpha: a.float('alpha', 0.2), beta: a.float('beta', 0.5) } };
    case 'Clip':
      return opset < 11
        ? { ...base, inputs: inputs.slice(0, 1), op: 'Clip', attrs: { min: a.float('min'), max: a.float('max') } }
        : { ...base, op: 'Clip', attrs: {} };
    case 'Add': return { ...base, op: 'Add', attrs: { activation: 'none' } };
    case 'Mul': return { ...base, op: 'Mul', attrs: { activation: 'none' } };
    case 'Sub': return { ...base, op: 'Sub', attrs: {} };
    case 'Div': return { ...base, op: 'Div', attrs: {} };
    case 'Concat': return { ...base, op: 'Concat', attrs: { axis: a.int('axis', 0) } };
    case 'MaxPool': return { ...base, op: 'MaxPool', attrs: poolAttrs(a, label, a.has('kernel_shape') ? a.pair('kernel_shape', 1) : undefined) };
    case 'AveragePool': return { ...base, op: 'AveragePool', attrs: poolAttrs(a, label, a.has('kernel_shape') ? a.pair('kernel_shape', 1) : undefined) };
    case 'GlobalAveragePool': return { ...base, op: 'Mean', attrs: { axes: [2, 3], keepDims: true, noopWithEmptyAxes: false } };
    case 'ReduceMean':
      return opset < 18
        ? { ...base, inputs: inputs.slice(0, 1), op: 'Mean', attrs: { axes: a.ints('axes'), keepDims: a.int('keepdims', 1) !== 0, noopWithEmptyAxes: false } }
        : { ...base, op: 'Mean', attrs: { keepDims: a.int('keepdims', 1) !== 0, noopWithEmptyAxes: a.int('noop_with_empty_axes', 0) !== 0 } };
    case 'Gemm':
      return { ...base, op: 'Gemm', attrs: { alpha: a.float('alpha', 1), beta: a.float('beta', 1), transA: a.int('transA', 0) !== 0, transB: a.int('transB', 0) !== 0 } };
    case 'MatMul': return { ...base, op: 'MatMul', attrs: {} };
    case 'Flatten': return { ...base, op: 'Flatten', attrs: { axis: a.int('axis', 1) } };
    case 'Reshape': return { ...base, op: 'Reshape', attrs: { allowZero: a.int('allowzero', 0) !== 0 } };
    case 'Squeeze':
      return opset < 13 ? { ...base, inputs: inputs.slice(0, 1), op: 'Squeeze', attrs: { axes: a.ints('axes') } } : { ...base, op: 'Squeeze', attrs: {} };
    case 'Unsqueeze':
      return opset < 13 ? { ...base, inputs: inputs.slice(0, 1), op: 'Unsqueeze', attrs: { axes: a.ints('axes') } } : { ...base, op: 'Unsqueeze', attrs: {} };
    case 'Transpose': return { ...base, op: 'Transpose', attrs: { perm: a.ints('perm') } };
    case 'Pad':
      return opset < 11
        ? { ...base, inputs: inputs.slice(0, 1), op: 'Pad', attrs: { pads: a.ints('pads'), value: a.float('value', 0) } }
        : { ...base, op: 'Pad', attrs: { value: 0 } };
    case 'Softmax':
      return { ...base, op: 'Softmax', attrs: { axis: a.int('axis', opset < 13 ? 1 : -1), legacy: opset < 13 } };
    case 'Shape': return { ...base, op: 'Shape', attrs: { start: a.int('start', 0), end: a.int('end') } };
    case 'Gather': return { ...base, op: 'Gather', attrs: { axis: a.int('axis', 0) } };
    case 'Slice':
      return opset < 10
        ? { ...base, inputs: inputs.slice(0, 1), op: 'Slice', attrs: { starts: a.ints('starts'), ends: a.ints('ends'), axes: a.ints('axes') } }
        : { ...base, op: 'Slice', attrs: {} };
    case 'Cast': return { ...base, op: 'Cast', attrs: { to: irDType(elemTypeOf(a.int('to', 1))!) } };
    case 'ConstantOfShape': {
      const t = a.tensor('value');
      const type = t ? elemTypeOf(t.dataType) : 'float32';
      const dtype: IrDType = type ? irDType(type) : 'float32';
      let value = 0;
      if (t) {
        const v = t.rawData?.length ? new DataView(t.rawData.buffer, t.rawData.byteOffset) : undefined;
        value = v ? (dtype === 'float32' ? v.getFloat32(0, true) : dtype === 'int64' ? Number(v.getBigInt64(0, true)) : v.getInt32(0, true))
          : Number(t.floatData[0] ?? t.int64Data[0] ?? t.int32Data[0] ?? 0);
      }
      return { ...base, op: 'ConstantOfShape', attrs: { value, dtype } };
    }
  }
  throw new ConvertError('UNSUPPORTED_OPS', `${label}: op type is not supported`);
}
