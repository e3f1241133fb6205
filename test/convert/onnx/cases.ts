// Small ONNX models covering every supported op and attribute form, with seeded random weights. The import
// tests run them as imported; the pass tests run them after the passes; both against onnxruntime.
import { OnnxBuilder, attr } from '../../../src/convert/onnx/builder.js';
import { prng, randomFloat32, type Rng } from '../../ref/prng.js';

export interface Case {
  name: string;
  bytes: Uint8Array;
  inputs: Record<string, number[]>;
}

type Make = (b: OnnxBuilder, w: (name: string, dims: number[], scale?: number) => void, r: Rng) => Record<string, number[]>;

const defs: [string, number, Make][] = [];
const def = (name: string, opset: number, make: Make) => defs.push([name, opset, make]);

def('conv 3x3 pad 1 stride 2 with bias', 13, (b, w) => {
  b.input('x', [1, 3, 9, 8]); w('w', [4, 3, 3, 3]); w('b', [4]);
  b.node('Conv', ['x', 'w', 'b'], ['y'], { pads: [1, 1, 1, 1], strides: [2, 2], kernel_shape: [3, 3] });
  b.output('y');
  return { x: [1, 3, 9, 8] };
});
def('conv dilated, asymmetric pads, no bias', 11, (b, w) => {
  b.input('x', [1, 2, 9, 9]); w('w', [3, 2, 3, 2]);
  b.node('Conv', ['x', 'w'], ['y'], { pads: [0, 1, 2, 0], dilations: [2, 1] });
  b.output('y');
  return { x: [1, 2, 9, 9] };
});
def('grouped conv (2 groups)', 13, (b, w) => {
  b.input('x', [1, 4, 6, 6]); w('w', [6, 2, 3, 3]); w('b', [6]);
  b.node('Conv', ['x', 'w', 'b'], ['y'], { group: 2, pads: [1, 1, 1, 1] });
  b.output('y');
  return { x: [1, 4, 6, 6] };
});
def('depthwise conv, multiplier 2, auto_pad SAME_UPPER stride 2', 13, (b, w) => {
  b.input('x', [1, 3, 7, 7]); w('w', [6, 1, 3, 3]); w('b', [6]);
  b.node('Conv', ['x', 'w', 'b'], ['y'], { group: 3, auto_pad: 'SAME_UPPER', strides: [2, 2] });
  b.output('y');
  return { x: [1, 3, 7, 7] };
});
def('conv + batchnorm + relu', 13, (b, w, r) => {
  b.input('x', [1, 3, 6, 6]); w('w', [4, 3, 3, 3]); w('b', [4]);
  w('s', [4]); w('bb', [4]); w('m', [4]);
  b.initializer('v', [4], Array.from({ length: 4 }, () => 0.5 + r.float()));
  b.node('Conv', ['x', 'w', 'b'], ['c'], { pads: [1, 1, 1, 1] });
  b.node('BatchNormalization', ['c', 's', 'bb', 'm', 'v'], ['n'], { epsilon: attr.float(1e-3) });
  b.node('Relu', ['n'], ['y']);
  b.output('y');
  return { x: [1, 3, 6, 6] };
});
def('batchnorm on an input (no producer)', 9, (b, w, r) => {
  b.input('x', [1, 3, 4, 4]); w('s', [3]); w('bb', [3]); w('m', [3]);
  b.initializer('v', [3], Array.from({ length: 3 }, () => 0.5 + r.float()));
  b.node('BatchNormalization', ['x', 's', 'bb', 'm', 'v'], ['y']);
  b.output('y');
  return { x: [1, 3, 4, 4] };
});
def('activations: clip attrs (opset 9), leaky, sigmoid, hardsigmoid, tanh', 9, (b) => {
  b.input('x', [1, 2, 3, 4]);
  b.node('Clip', ['x'], ['a'], { min: attr.float(-0.5), max: attr.float(0.75) });
  b.node('LeakyRelu', ['x'], ['l'], { alpha: 0.1 });
  b.node('Sigmoid', ['l'], ['s']);
  b.node('HardSigmoid', ['x'], ['h'], { alpha: 0.3, beta: 0.4 });
  b.node('Tanh', ['h'], ['t']);
  b.node('Add', ['a', 's'], ['u']);
  b.node('Mul', ['u', 't'], ['y']);
  b.output('y');
  return { x: [1, 2, 3, 4] };
});
def('conv + clip(0,6) inputs (opset 13), conv + hardswish (opset 14)', 14, (b, w) => {
  b.input('x', [1, 2, 5, 5]); w('w', [3, 2, 1, 1], 3); w('w2', [3, 3, 3, 3]);
  b.constant('lo', [], [0]); b.constant('hi', [], [6]);
  b.node('Conv', ['x', 'w'], ['c']);
  b.node('Clip', ['c', 'lo', 'hi'], ['r6']);
  b.node('Conv', ['r6', 'w2'], ['c2'], { pads: [1, 1, 1, 1] });
  b.node('HardSwish', ['c2'], ['y']);
  b.output('y');
  return { x: [1, 2, 5, 5] };
});
def('clip with only a min input is a relu', 13, (b, w) => {
  b.input('x', [1, 2, 4, 4]); w('w', [2, 2, 1, 1]);
  b.constant('lo', [], [0]);
  b.node('Conv', ['x', 'w'], ['c']);
  b.node('Clip', ['c', 'lo'], ['y']);
  b.output('y');
  return { x: [1, 2, 4, 4] };
});
def('add broadcast constant per channel, mul of activations, add + relu', 13, (b, w) => {
  b.input('x', [1, 3, 4, 5]); w('k', [3, 1, 1]); w('s', [1, 3, 1, 1]); w('cw', [3, 3, 1, 1]);
  b.node('Add', ['x', 'k'], ['a']);
  b.node('Mul', ['a', 's'], ['m']);
  b.node('Conv', ['m', 'cw'], ['c']);
  b.node('Add', ['c', 'x'], ['r']);
  b.node('Relu', ['r'], ['y']);
  b.output('y');
  return { x: [1, 3, 4, 5] };
});
def('concat on channels, max and average pools', 13, (b, w) => {
  b.input('x', [1, 2, 9, 9]); w('w', [3, 2, 1, 1]);
  b.node('Conv', ['x', 'w'], ['c']);
  b.node('Concat', ['x', 'c'], ['cat'], { axis: 1 });
  b.node('MaxPool', ['cat'], ['mp'], { kernel_shape: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1] });
  b.node('AveragePool', ['cat'], ['ap'], { kernel_shape: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1] });
  b.node('AveragePool', ['cat'], ['ap2'], { kernel_shape: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1], count_include_pad: 1 });
  b.node('Add', ['mp', 'ap'], ['s']);
  b.node('Add', ['s', 'ap2'], ['y']);
  b.output('y');
  return { x: [1, 2, 9, 9] };
});
def('pools with ceil_mode', 13, (b) => {
  b.input('x', [1, 2, 8, 8]);
  b.node('MaxPool', ['x'], ['mp'], { kernel_shape: [3, 3], strides: [2, 2], ceil_mode: 1 });
  b.node('AveragePool', ['x'], ['ap'], { kernel_shape: [3, 3], strides: [2, 2], ceil_mode: 1 });
  b.node('Add', ['mp', 'ap'], ['y']);
  b.output('y');
  return { x: [1, 2, 8, 8] };
});
def('global average pool + flatten + gemm (transB) + softmax', 13, (b, w) => {
  b.input('x', [1, 4, 5, 5]); w('w', [6, 4]); w('b', [6]);
  b.node('GlobalAveragePool', ['x'], ['g']);
  b.node('Flatten', ['g'], ['f']);
  b.node('Gemm', ['f', 'w', 'b'], ['z'], { transB: 1, alpha: 0.5, beta: attr.float(2) });
  b.node('Softmax', ['z'], ['y']);
  b.output('y');
  return { x: [1, 4, 5, 5] };
});
def('conv + flatten of a 3x3 map + gemm (NHWC flatten permutes weights)', 13, (b, w) => {
  b.input('x', [1, 2, 5, 5]); w('cw', [4, 2, 3, 3]); w('w', [5, 36]); w('b', [5]);
  b.node('Conv', ['x', 'cw'], ['c'], { strides: [2, 2], pads: [1, 1, 1, 1] });
  b.node('Flatten', ['c'], ['f']);
  b.node('Gemm', ['f', 'w', 'b'], ['y'], { transB: 1 });
  b.output('y');
  return { x: [1, 2, 5, 5] };
});
def('reshape (0, -1) + matmul + add bias + relu (opset 11 softmax legacy)', 11, (b, w) => {
  b.input('x', [1, 3, 2, 2]); w('w', [12, 4]); w('b', [4]);
  b.initializer('shape', [2], [0, -1], { dtype: 'int64' });
  b.node('Reshape', ['x', 'shape'], ['f']);
  b.node('MatMul', ['f', 'w'], ['m']);
  b.node('Add', ['m', 'b'], ['a']);
  b.node('Relu', ['a'], ['r']);
  b.node('Softmax', ['r'], ['y'], { axis: 1 });
  b.output('y');
  return { x: [1, 3, 2, 2] };
});
def('gemm without transposes, C broadcast as a row', 9, (b, w) => {
  b.input('x', [2, 5]); w('w', [5, 3]); w('c', [1, 3]);
  b.node('Gemm', ['x', 'w', 'c'], ['y']);
  b.output('y');
  return { x: [2, 5] };
});
def('reduce mean axes attribute (opset 13) and input (opset 18)', 18, (b) => {
  b.input('x', [1, 3, 4, 5]);
  b.initializer('axes', [2], [2, 3], { dtype: 'int64' });
  b.node('ReduceMean', ['x', 'axes'], ['m'], { keepdims: 1 });
  b.node('Add', ['x', 'm'], ['y']);
  b.output('y');
  return { x: [1, 3, 4, 5] };
});
def('reduce mean axes attribute, keepdims 0', 13, (b) => {
  b.input('x', [1, 3, 4, 5]);
  b.node('ReduceMean', ['x'], ['y'], { axes: [-1, 2], keepdims: 0 });
  b.output('y');
  return { x: [1, 3, 4, 5] };
});
def('pad attrs (opset 9) with a value', 9, (b) => {
  b.input('x', [1, 2, 3, 3]);
  b.node('Pad', ['x'], ['y'], { pads: [0, 0, 1, 2, 0, 0, 2, 1], value: attr.float(0.5) });
  b.output('y');
  return { x: [1, 2, 3, 3] };
});
def('pad inputs (opset 13) before a conv', 13, (b, w) => {
  b.input('x', [1, 2, 4, 4]); w('w', [3, 2, 3, 3]);
  b.initializer('pads', [8], [0, 0, 1, 1, 0, 0, 1, 1], { dtype: 'int64' });
  b.node('Pad', ['x', 'pads'], ['p']);
  b.node('Conv', ['p', 'w'], ['y']);
  b.output('y');
  return { x: [1, 2, 4, 4] };
});
def('identity, dropout, layout no-op transpose, squeeze/unsqueeze (opset 11 attrs)', 11, (b, w) => {
  b.input('x', [1, 4, 1, 1]); w('w', [3, 4]);
  b.node('Identity', ['x'], ['i']);
  b.node('Dropout', ['i'], ['d'], { ratio: attr.float(0.3) });
  b.node('Transpose', ['d'], ['t'], { perm: [0, 2, 3, 1] });
  b.node('Squeeze', ['t'], ['s'], { axes: [1, 2] });
  b.node('Gemm', ['s', 'w'], ['g'], { transB: 1 });
  b.node('Unsqueeze', ['g'], ['u'], { axes: [2, 3] });
  b.node('Relu', ['u'], ['y']);
  b.output('y');
  return { x: [1, 4, 1, 1] };
});
def('squeeze/unsqueeze axes inputs (opset 13)', 13, (b) => {
  b.input('x', [1, 3, 1, 1]);
  b.initializer('ax', [2], [2, 3], { dtype: 'int64' });
  b.node('Squeeze', ['x', 'ax'], ['s']);
  b.node('Unsqueeze', ['s', 'ax'], ['u']);
  b.node('Sigmoid', ['u'], ['y']);
  b.output('y');
  return { x: [1, 3, 1, 1] };
});
def('shape -> gather -> unsqueeze -> concat -> reshape chain', 13, (b, w) => {
  b.input('x', [1, 3, 4, 4]); w('w', [2, 48]);
  b.node('Shape', ['x'], ['sh']);
  b.constant('zero', [], [0], 'int64');
  b.node('Gather', ['sh', 'zero'], ['n'], { axis: 0 });
  b.constant('ax', [1], [0], 'int64');
  b.node('Unsqueeze', ['n', 'ax'], ['n1']);
  b.constant('minus1', [1], [-1], 'int64');
  b.node('Concat', ['n1', 'minus1'], ['target'], { axis: 0 });
  b.node('Reshape', ['x', 'target'], ['f']);
  b.node('Gemm', ['f', 'w'], ['y'], { transB: 1 });
  b.output('y');
  return { x: [1, 3, 4, 4] };
});
def('weights from Constant nodes; constant transposed weight folds', 13, (b, _w, r) => {
  b.input('x', [1, 2, 3, 3]);
  b.constant('w', [3, 2, 1, 1], randomFloat32(r, 6));
  b.constant('wt', [4, 3], randomFloat32(r, 12));
  b.node('Conv', ['x', 'w'], ['c']);
  b.node('Transpose', ['wt'], ['wtt'], { perm: [1, 0] });
  b.node('GlobalAveragePool', ['c'], ['g']);
  b.node('Flatten', ['g'], ['f']);
  b.node('MatMul', ['f', 'wtt'], ['y']);
  b.output('y');
  return { x: [1, 2, 3, 3] };
});
def('softmax over channels of a 4D map (opset 13)', 13, (b) => {
  b.input('x', [1, 3, 2, 2]);
  b.node('Softmax', ['x'], ['y'], { axis: 1 });
  b.output('y');
  return { x: [1, 3, 2, 2] };
});
def('standalone relu6 clip and relu on an input, concat on width', 13, (b) => {
  b.input('x', [1, 2, 3, 3]);
  b.constant('lo', [], [0]); b.constant('hi', [], [6]);
  b.node('Clip', ['x', 'lo', 'hi'], ['a']);
  b.node('Relu', ['x'], ['r']);
  b.node('Concat', ['a', 'r'], ['y'], { axis: -1 });
  b.output('y');
  return { x: [1, 2, 3, 3] };
});

def('normalization in the graph: Sub mean, Div std, then conv', 13, (b, w) => {
  b.input('x', [1, 3, 4, 4]); w('w', [2, 3, 3, 3]);
  b.initializer('mean', [1, 3, 1, 1], [0.485, 0.456, 0.406]);
  b.initializer('std', [1, 3, 1, 1], [0.229, 0.224, 0.225]);
  b.node('Sub', ['x', 'mean'], ['s']);
  b.node('Div', ['s', 'std'], ['d']);
  b.node('Conv', ['d', 'w'], ['y'], { pads: [1, 1, 1, 1] });
  b.output('y');
  return { x: [1, 3, 4, 4] };
});
def('shape arithmetic: Slice, Cast, ConstantOfShape, Mul/Div on shapes', 13, (b) => {
  b.input('x', [1, 3, 4, 4]);
  b.node('Shape', ['x'], ['sh']);
  const i64 = (name: string, v: number[]) => b.initializer(name, [v.length], v, { dtype: 'int64' });
  i64('s0', [0]); i64('e2', [2]); i64('s2', [2]); i64('e4', [4]); i64('two', [2, 2]); i64('one', [1]);
  b.node('Slice', ['sh', 's0', 'e2'], ['nc']);
  b.node('Cast', ['nc'], ['nc32'], { to: 6 });
  b.node('Cast', ['nc32'], ['nc64'], { to: 7 });
  b.node('ConstantOfShape', ['one'], ['m1'], { value: attr.tensor({ dims: [1], data: [-1], dtype: 'int64' }) });
  b.node('Concat', ['nc64', 'm1'], ['t1'], { axis: 0 });
  b.node('Reshape', ['x', 't1'], ['flat']);
  b.node('Relu', ['flat'], ['r']);
  b.node('Slice', ['sh', 's2', 'e4'], ['hw']);
  b.node('Mul', ['hw', 'two'], ['hw2']);
  b.node('Div', ['hw2', 'two'], ['hw1']);
  b.node('Concat', ['nc64', 'hw1'], ['t2'], { axis: 0 });
  b.node('Reshape', ['r', 't2'], ['y']);
  b.output('y');
  return { x: [1, 3, 4, 4] };
});

def('batch 2: conv, batchnorm, relu6, max pool, flatten, gemm', 12, (b, w, r) => {
  b.input('x', [2, 3, 6, 6]); w('w', [4, 3, 3, 3]); w('s', [4]); w('bb', [4]); w('m', [4]); w('fw', [3, 36]); w('fb', [3]);
  b.initializer('v', [4], Array.from({ length: 4 }, () => 0.5 + r.float()));
  b.constant('lo', [], [0]); b.constant('hi', [], [6]);
  b.node('Conv', ['x', 'w'], ['c'], { pads: [1, 1, 1, 1] });
  b.node('BatchNormalization', ['c', 's', 'bb', 'm', 'v'], ['n']);
  b.node('Clip', ['n', 'lo', 'hi'], ['r']);
  b.node('MaxPool', ['r'], ['p'], { kernel_shape: [2, 2], strides: [2, 2] });
  b.node('Flatten', ['p'], ['f']);
  b.node('Gemm', ['f', 'fw', 'fb'], ['y'], { transB: 1 });
  b.output('y');
  return { x: [2, 3, 6, 6] };
});

def('hardswish written as x * HardSigmoid(x) after a conv (opset 13)', 13, (b, w) => {
  b.input('x', [1, 2, 5, 5]); w('w', [3, 2, 3, 3], 2);
  b.node('Conv', ['x', 'w'], ['c'], { pads: [1, 1, 1, 1] });
  b.node('HardSigmoid', ['c'], ['h'], { alpha: attr.float(1 / 6), beta: attr.float(0.5) });
  b.node('Mul', ['c', 'h'], ['y']);
  b.output('y');
  return { x: [1, 2, 5, 5] };
});

export function cases(seed = 2024): Case[] {
  return defs.map(([name, opset, make], i) => {
    const r = prng(seed + i);
    const b = new OnnxBuilder({ opset });
    const inputs = make(b, (n, dims, scale = 0.5) => b.initializer(n, dims, randomFloat32(r, dims.reduce((a, d) => a * d, 1), scale)), r);
    return { name: `${name} [opset ${opset}]`, bytes: b.toBytes(), inputs };
  });
}
