// One broken model per semantic failure class. Each is rejected by verifyModel with its code and a message
// naming the tensor / op / field, refused by writeModel, and (when it can be encoded) rejected by readModel.
import { test } from 'uvu';
import { readModel, verifyModel, writeModel, type Model } from '../../src/format/index.js';
import { encodeModel } from '../../src/format/write.js';
import { perTensor, singleOpModel, smallCnn } from './fixtures.js';
import { expectModelError } from './expect-error.js';

// smallCnn tensors: 0 image (f32), 1 image/q, 2 conv1, 3 conv1/w, 4 conv1/b, 5 dw1, 6 dw1/w, 7 dw1/b, 8 pw1,
// 9 pw1/w, 10 add, 11 pool, 12 gap, 13 logits, 14 fc/w, 15 fc/b, 16 probs/q, 17 probs.
// ops: 0 quantize, 1 conv1, 2 dw1, 3 pw1, 4 residual (Add), 5 AveragePool2D, 6 Mean, 7 fc, 8 Softmax, 9 Dequantize.
type Case = [title: string, code: string, fragments: string[], mutate: (m: Model) => void, base?: () => Model];
const any = (x: unknown) => x as any;

const cases: Case[] = [
  // indices
  ['op input index out of range', 'BAD_TENSOR_INDEX', ["op 1 'conv1' (Conv2D)", 'input 0', 'index 99'], (m) => { m.ops[1]!.inputs[0] = 99; }],
  ['negative op output index', 'BAD_TENSOR_INDEX', ['op 5 (AveragePool2D)', 'output 0', 'index -1'], (m) => { m.ops[5]!.outputs[0] = -1; }],
  ['graph output index out of range', 'BAD_TENSOR_INDEX', ['model.outputs', 'index 18'], (m) => { m.outputs[0] = 18; }],
  ['buffer index out of range', 'BAD_BUFFER_INDEX', ["tensor 3 'conv1/w'", 'buffer index 40'], (m) => { m.tensors[3]!.buffer = 40; }],
  // shapes
  ['zero dim', 'BAD_SHAPE', ["tensor 12 'gap'", 'dim 1 = 0'], (m) => { m.tensors[12]!.shape = [1, 0]; }],
  ['negative dim', 'BAD_SHAPE', ["tensor 12 'gap'", 'dim 0 = -1'], (m) => { m.tensors[12]!.shape = [-1, 8]; }],
  ['fractional dim', 'BAD_SHAPE', ["tensor 12 'gap'", '1.5'], (m) => { m.tensors[12]!.shape = [1.5, 8]; }],
  ['rank 7', 'BAD_SHAPE', ["tensor 12 'gap'", 'at most 6'], (m) => { m.tensors[12]!.shape = [1, 1, 1, 1, 1, 1, 8]; }],
  ['conv output shape', 'BAD_SHAPE', ["op 1 'conv1' (Conv2D)", "output 'conv1'", '[1, 8, 8, 8]'], (m) => { m.tensors[2]!.shape = [1, 7, 8, 8]; }],
  ['conv weights not OHWI for the input channels', 'BAD_SHAPE', ["op 3 'pw1' (Conv2D)", "weights 'pw1/w'", 'OHWI'],
    (m) => { m.tensors[9]!.shape = [8, 1, 2, 4]; }],
  ['conv bias length', 'BAD_SHAPE', ["op 1 'conv1' (Conv2D)", "bias 'conv1/b'", 'expected [8]'],
    (m) => { m.tensors[4]!.shape = [4]; m.buffers[1] = new Uint8Array(16); }],
  ['depthwise weights channels', 'BAD_SHAPE', ["op 2 'dw1' (DepthwiseConv2D)", '1HWC'],
    (m) => { m.tensors[6]!.shape = [2, 3, 3, 4]; m.tensors[6]!.quant = perTensor(0.1, 0); }],
  ['depthwise output channels with a multiplier', 'BAD_SHAPE', ["op 2 'dw1' (DepthwiseConv2D)", "weights 'dw1/w'"],
    (m) => { any(m.ops[2]!.options).depthMultiplier = 2; }],
  ['fully connected depth', 'BAD_SHAPE', ["op 7 'fc' (FullyConnected)", "input 'gap'"],
    (m) => { m.tensors[14]!.shape = [8, 10]; m.tensors[14]!.quant!.scales = m.tensors[14]!.quant!.scales.slice(0, 8); m.tensors[14]!.quant!.zeroPoints = new Int32Array(8); }],
  ['add operands that do not broadcast', 'BAD_SHAPE', ["op 4 'residual' (Add)", 'does not broadcast'],
    (m) => { m.ops[4]!.inputs[1] = 2; }],
  ['pool window larger than the padded input', 'BAD_SHAPE', ['op 5 (AveragePool2D)', 'does not fit'],
    (m) => { any(m.ops[5]!.options).filterH = 9; }],
  ['mean output shape', 'BAD_SHAPE', ['op 6 (Mean)', "output 'gap'", '[1, 8]'], (m) => { any(m.ops[6]!.options).keepDims = true; }],
  ['reshape element count', 'BAD_SHAPE', ['op 0 (Reshape)', 'different number of elements'],
    (m) => { m.tensors[1]!.shape = [1, 119]; }, () => singleOpModel('Reshape')],
  ['pad output shape', 'BAD_SHAPE', ['op 0 (Pad)', '[1, 8, 7, 4]'], (m) => { m.tensors[1]!.shape = [1, 8, 8, 4]; }, () => singleOpModel('Pad')],
  ['concatenation inputs differing outside the axis', 'BAD_SHAPE', ['op 0 (Concatenation)', "input 'x2'"],
    (m) => { m.tensors[1]!.shape = [1, 4, 6, 2]; }, () => singleOpModel('Concatenation')],
  ['elementwise output shape', 'BAD_SHAPE', ['op 0 (Relu)', "output 'y'"], (m) => { m.tensors[1]!.shape = [1, 5, 6, 3]; }, () => singleOpModel('Relu')],
  // sizes and limits
  ['constant buffer size', 'BUFFER_SIZE', ["tensor 15 'fc/b'", 'holds 39 bytes', 'needs 40'], (m) => { m.buffers[6] = new Uint8Array(39); }],
  ['2^32 elements', 'TOO_LARGE', ["tensor 12 'gap'"], (m) => { m.tensors[12]!.shape = [65536, 65536]; }],
  // quantization
  ['zero scale', 'BAD_QUANT', ["tensor 13 'logits'", 'scale[0] = 0'], (m) => { m.tensors[13]!.quant!.scales[0] = 0; }],
  ['NaN scale', 'BAD_QUANT', ["tensor 13 'logits'", 'NaN'], (m) => { m.tensors[13]!.quant!.scales[0] = NaN; }],
  ['infinite per-channel scale', 'BAD_QUANT', ["tensor 3 'conv1/w'", 'scale[5]'], (m) => { m.tensors[3]!.quant!.scales[5] = Infinity; }],
  ['int8 zero point out of range', 'BAD_QUANT', ["tensor 13 'logits'", '200', '[-128, 127]'], (m) => { m.tensors[13]!.quant!.zeroPoints[0] = 200; }],
  ['uint8 zero point out of range', 'BAD_QUANT', ["tensor 1 'y'", '-1', '[0, 255]'], (m) => { m.tensors[1]!.quant!.zeroPoints[0] = -1; }, () => singleOpModel('Quantize')],
  ['per-axis length different from the axis dim', 'BAD_QUANT', ["tensor 3 'conv1/w'", '3 scales along axis 0 of size 8'],
    (m) => { m.tensors[3]!.quant = { scales: new Float32Array([1, 1, 1]), zeroPoints: new Int32Array(3), axis: 0 }; }],
  ['quantization axis out of range', 'BAD_QUANT', ["tensor 3 'conv1/w'", 'axis 4'],
    (m) => { m.tensors[3]!.quant!.axis = 4; }],
  ['per-axis activation between ops', 'BAD_QUANT', ["tensor 2 'conv1'", 'quantized per tensor'],
    (m) => { m.tensors[2]!.quant = { scales: new Float32Array(8).fill(0.1), zeroPoints: new Int32Array(8), axis: 3 }; }],
  ['per-axis Quantize output read by a Conv2D', 'BAD_QUANT', ["tensor 1 'image/q'", 'read only by Dequantize'],
    (m) => { const t = m.tensors[1]!; const c = t.shape[3]!; t.quant = { scales: new Float32Array(c).fill(0.1), zeroPoints: new Int32Array(c), axis: 3 }; }],
  ['scales and zero points of different lengths', 'BAD_QUANT', ["tensor 13 'logits'", '1 scales but 2 zero points'],
    (m) => { m.tensors[13]!.quant!.zeroPoints = Int32Array.of(2, 2); }],
  ['activation quantized per channel', 'BAD_QUANT', ["tensor 12 'gap'", 'per tensor'],
    (m) => { m.tensors[12]!.quant = { scales: new Float32Array(8).fill(0.1), zeroPoints: new Int32Array(8), axis: 1 }; }],
  ['int8 tensor without quantization', 'BAD_QUANT', ["tensor 11 'pool'", 'no quantization'], (m) => { delete m.tensors[11]!.quant; }],
  ['float32 tensor with quantization', 'BAD_QUANT', ["tensor 17 'probs'", 'float32'], (m) => { m.tensors[17]!.quant = perTensor(1, 0); }],
  ['asymmetric weights', 'BAD_QUANT', ["op 7 'fc' (FullyConnected)", "weights 'fc/w'", 'symmetric'], (m) => { m.tensors[14]!.quant!.zeroPoints[2] = 1; }],
  ['weights quantized along the wrong axis', 'BAD_QUANT', ["op 2 'dw1' (DepthwiseConv2D)", 'axis 2'],
    (m) => { m.tensors[6]!.quant = { scales: new Float32Array(3).fill(0.1), zeroPoints: new Int32Array(3), axis: 2 }; }],
  // ops
  ['conv without weights', 'BAD_OP', ["op 1 'conv1' (Conv2D)", '2 to 3 inputs, got 1'], (m) => { m.ops[1]!.inputs = [1]; }],
  ['add with three inputs', 'BAD_OP', ["op 4 'residual' (Add)", 'takes 2 inputs, got 3'], (m) => { m.ops[4]!.inputs.push(5); }],
  ['two outputs', 'BAD_OP', ['op 6 (Mean)', '1 output, got 2'], (m) => { m.ops[6]!.outputs.push(13); }],
  ['weights that are not constant', 'BAD_OP', ["op 3 'pw1' (Conv2D)", 'input 1 (weights)', 'must be a constant'],
    (m) => { m.ops[3]!.inputs[1] = 5; }],
  ['unknown op kind', 'BAD_OP', ['op 6', 'unknown op kind Gelu'], (m) => { any(m.ops[6]).kind = 'Gelu'; }],
  // options
  ['stride 0', 'BAD_OPTIONS', ["op 1 'conv1' (Conv2D)", 'options.strideH = 0'], (m) => { any(m.ops[1]!.options).strideH = 0; }],
  ['dilation 0', 'BAD_OPTIONS', ["op 2 'dw1' (DepthwiseConv2D)", 'options.dilationW = 0'], (m) => { any(m.ops[2]!.options).dilationW = 0; }],
  ['huge stride', 'BAD_OPTIONS', ["op 1 'conv1' (Conv2D)", 'options.strideW = 1000000'], (m) => { any(m.ops[1]!.options).strideW = 1e6; }],
  ['negative pad', 'BAD_OPTIONS', ["op 1 'conv1' (Conv2D)", 'options.padLeft = -1'], (m) => { any(m.ops[1]!.options).padLeft = -1; }],
  ['pad as large as the window', 'BAD_OPTIONS', ['op 5 (AveragePool2D)', 'options.padTop = 2', '[0, 1]'], (m) => { any(m.ops[5]!.options).padTop = 2; }],
  ['filter 0', 'BAD_OPTIONS', ['op 5 (AveragePool2D)', 'options.filterW = 0'], (m) => { any(m.ops[5]!.options).filterW = 0; }],
  ['depth multiplier 0', 'BAD_OPTIONS', ["op 2 'dw1' (DepthwiseConv2D)", 'options.depthMultiplier = 0'], (m) => { any(m.ops[2]!.options).depthMultiplier = 0; }],
  ['unknown activation', 'BAD_OPTIONS', ["op 7 'fc' (FullyConnected)", 'options.activation = gelu'], (m) => { any(m.ops[7]!.options).activation = 'gelu'; }],
  ['softmax beta 0', 'BAD_OPTIONS', ['op 8 (Softmax)', 'options.beta = 0'], (m) => { any(m.ops[8]!.options).beta = 0; }],
  ['softmax beta NaN', 'BAD_OPTIONS', ['op 8 (Softmax)', 'options.beta = NaN'], (m) => { any(m.ops[8]!.options).beta = NaN; }],
  ['leaky relu alpha infinite', 'BAD_OPTIONS', ['op 0 (LeakyRelu)', 'options.alpha = Infinity'],
    (m) => { any(m.ops[0]!.options).alpha = Infinity; }, () => singleOpModel('LeakyRelu')],
  ['mean axis out of range', 'BAD_OPTIONS', ['op 6 (Mean)', 'options.axes: 4'], (m) => { any(m.ops[6]!.options).axes = [1, 4]; }],
  ['mean axis repeated', 'BAD_OPTIONS', ['op 6 (Mean)', 'options.axes: -3'], (m) => { any(m.ops[6]!.options).axes = [1, -3]; }],
  ['concatenation axis out of range', 'BAD_OPTIONS', ['op 0 (Concatenation)', 'options.axis = 4'],
    (m) => { any(m.ops[0]!.options).axis = 4; }, () => singleOpModel('Concatenation')],
  ['pads of the wrong length', 'BAD_OPTIONS', ['op 0 (Pad)', 'options.pads', '8 values'],
    (m) => { any(m.ops[0]!.options).pads = [0, 0, 1, 1]; }, () => singleOpModel('Pad')],
  ['options on an op that takes none', 'BAD_OPTIONS', ['op 0 (Relu)', 'takes no options, got alpha'],
    (m) => { any(m.ops[0]).options = { alpha: 1 }; }, () => singleOpModel('Relu')],
  // types
  ['unknown dtype', 'BAD_TYPE', ["tensor 12 'gap'", 'unknown dtype int16'], (m) => { any(m.tensors[12]).dtype = 'int16'; }],
  // A float32 input makes the conv a float op, whose bias must be float32 too.
  ['float input to a conv with an int32 bias', 'BAD_TYPE', ["op 1 'conv1' (Conv2D)", "input 2 (bias): tensor 4 'conv1/b' is int32, expected float32", 'input 0 is float32'],
    (m) => { m.ops[1]!.inputs[0] = 0; }],
  ['int32 bias given as int8', 'BAD_TYPE', ["op 7 'fc' (FullyConnected)", 'input 2 (bias)', 'expected int32'],
    (m) => { m.tensors[15]!.dtype = 'int8'; m.tensors[15]!.quant = perTensor(1, 0); m.buffers[6] = new Uint8Array(10); }],
  ['output type differs from the input', 'BAD_TYPE', ['op 6 (Mean)', "output 0: tensor 12 'gap' is uint8"],
    (m) => { m.tensors[12]!.dtype = 'uint8'; m.tensors[12]!.quant = perTensor(0.1, 128); }],
  ['dequantize to int8', 'BAD_TYPE', ['op 9 (Dequantize)', 'expected float32'],
    (m) => { m.tensors[17]!.dtype = 'int8'; m.tensors[17]!.quant = perTensor(0.1, 0); }],
  // graph
  ['use before definition (ops swapped)', 'BAD_GRAPH', ["op 1 'dw1' (DepthwiseConv2D)", "tensor 2 'conv1' is used before"],
    (m) => { [m.ops[1], m.ops[2]] = [m.ops[2]!, m.ops[1]!]; }],
  ['cycle', 'BAD_GRAPH', ['op 5 (AveragePool2D)', 'used before'], (m) => { m.ops[5]!.inputs[0] = 12; m.tensors[12]!.shape = [1, 4, 4, 8]; }],
  ['tensor written twice', 'BAD_GRAPH', ['op 6 (Mean)', "tensor 11 'pool' is already produced"],
    (m) => { m.ops[6]!.outputs[0] = 11; }],
  ['op writing a constant', 'BAD_GRAPH', ['op 6 (Mean)', "tensor 15 'fc/b' is a constant"], (m) => { m.ops[6]!.outputs[0] = 15; }],
  ['op writing a graph input', 'BAD_GRAPH', ['op 0 (Relu)', "tensor 0 'x' is a graph input"],
    (m) => { m.ops[0]!.outputs[0] = 0; }, () => singleOpModel('Relu')],
  ['graph output nobody produces', 'BAD_GRAPH', ['model.outputs', "tensor 0 'image'"], (m) => { m.outputs = [0]; }],
  ['graph input listed twice', 'BAD_GRAPH', ['model.inputs', 'twice'], (m) => { m.inputs = [0, 0]; }],
  ['constant graph input', 'BAD_GRAPH', ['model.inputs', "tensor 3 'conv1/w' is a constant"], (m) => { m.inputs.push(3); }],
  // metadata and version
  ['std 0', 'BAD_METADATA', ['metadata.preprocessing.std'], (m) => { m.metadata.preprocessing!.std[1] = 0; }],
  ['mean and std lengths differ', 'BAD_METADATA', ['metadata.preprocessing.mean and std'], (m) => { m.metadata.preprocessing!.mean.pop(); }],
  ['pixel scale negative', 'BAD_METADATA', ['metadata.preprocessing.pixelScale = -1'], (m) => { m.metadata.preprocessing!.pixelScale = -1; }],
  ['version 2', 'UNSUPPORTED_VERSION', ['version 2'], (m) => { m.version = 2; }],
];

// Defects the file encoding cannot carry: int32 dims, enum-typed activations and dtypes, no options for Relu.
const NOT_IN_A_FILE = new Set(['fractional dim', 'unknown activation', 'options on an op that takes none', 'unknown dtype', 'unknown op kind']);

for (const [title, code, fragments, mutate, base] of cases) {
  test(`${code}: ${title}`, () => {
    const m = (base ?? smallCnn)();
    verifyModel(m);
    mutate(m);
    expectModelError(() => verifyModel(m), code, ...fragments);
    expectModelError(() => writeModel(m), code, ...fragments);
    if (!NOT_IN_A_FILE.has(title)) expectModelError(() => readModel(encodeModel(m)), code, ...fragments);
  });
}

test('a limit can be tightened per call', () => {
  expectModelError(() => verifyModel(smallCnn(), { limits: { maxTensorElements: 100 } }), 'TOO_LARGE', "tensor 0 'image'");
  expectModelError(() => verifyModel(singleOpModel('Concatenation'), { limits: { maxOpInputs: 1 } }), 'BAD_OP', 'got 2');
});

test.run();
