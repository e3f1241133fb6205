// The ops the coral models do not use, imported from a small .tflite built here and run by both wasmq and
// LiteRT.js on random inputs: QUANTIZE, MAX_POOL_2D, RELU, RELU6, HARD_SWISH, LOGISTIC, MUL, FULLY_CONNECTED,
// RESHAPE, SQUEEZE, PAD, CONCATENATION, DEQUANTIZE. Agreement within 1 LSB per element checks that the importer
// carries their options and quantization as TFLite means them.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { importTflite } from '../../../src/convert/tflite/import.js';
import { loadModel } from '../../../src/index.js';
import { createLiteRtPeer } from '../../../bench/peers/litert.js';
import { buildTflite, bytesOf, type Spec } from './build-tflite.js';
import { prng, randomInt8 } from '../../ref/prng.js';

const UINT8 = 3, INT8 = 9, INT32 = 2, FLOAT32 = 0;
const B = { QUANTIZE: 114, MAX_POOL_2D: 17, RELU: 19, RELU6: 21, HARD_SWISH: 117, LOGISTIC: 14, MUL: 18, FULLY_CONNECTED: 9, RESHAPE: 22, SQUEEZE: 43, DEQUANTIZE: 6, PAD: 34, CONCATENATION: 2 };

function graph(): Spec {
  const r = prng(31);
  const a = (name: string, shape: number[], scale: number, zp: number, type = INT8) => ({ name, shape, type, scale: [scale], zeroPoint: [zp] });
  return {
    tensors: [
      a('in', [1, 4, 4, 3], 0.02, 128, UINT8), // 0
      a('q', [1, 4, 4, 3], 0.025, -5), // 1: requantized
      a('maxpool', [1, 2, 2, 3], 0.025, -5), // 2
      a('relu', [1, 2, 2, 3], 0.015, -128), // 3
      a('relu6', [1, 2, 2, 3], 6 / 255, -128), // 4
      a('hswish', [1, 2, 2, 3], 0.03, -100), // 5
      a('logistic', [1, 2, 2, 3], 1 / 256, -128), // 6
      a('mul', [1, 2, 2, 3], 1 / 256, -128), // 7
      { name: 'fc/w', shape: [5, 12], type: INT8, data: bytesOf(randomInt8(r, 60, -127, 127)), scale: [0.02], zeroPoint: [0] }, // 8
      { name: 'fc/b', shape: [5], type: INT32, data: bytesOf(Int32Array.from([300, -200, 0, 50, 1000])), scale: [(1 / 256) * 0.02], zeroPoint: [0] }, // 9
      a('fc', [1, 5], 0.05, 3), // 10
      { name: 'shape', shape: [3], type: INT32, data: bytesOf(Int32Array.from([1, 1, 5])) }, // 11
      a('reshaped', [1, 1, 5], 0.05, 3), // 12
      a('squeezed', [1, 5], 0.05, 3), // 13
      { name: 'paddings', shape: [2, 2], type: INT32, data: bytesOf(Int32Array.from([0, 0, 2, 1])) }, // 14
      a('padded', [1, 8], 0.05, 3), // 15
      a('concat', [1, 13], 0.05, 3), // 16: TFLite's int8 concatenation wants its inputs' parameters
      { name: 'out', shape: [1, 13], type: FLOAT32 }, // 17
    ],
    ops: [
      { code: B.QUANTIZE, inputs: [0], outputs: [1] },
      { code: B.MAX_POOL_2D, inputs: [1], outputs: [2], optionsType: 5, options: [[0, 'i8', 1], [1, 'i32', 2], [2, 'i32', 2], [3, 'i32', 2], [4, 'i32', 2], [5, 'i8', 0]] },
      { code: B.RELU, inputs: [2], outputs: [3] },
      { code: B.RELU6, inputs: [3], outputs: [4] },
      { code: B.HARD_SWISH, inputs: [4], outputs: [5] },
      { code: B.LOGISTIC, inputs: [5], outputs: [6] },
      { code: B.MUL, inputs: [6, 6], outputs: [7], optionsType: 21, options: [[0, 'i8', 0]] },
      { code: B.FULLY_CONNECTED, inputs: [7, 8, 9], outputs: [10], optionsType: 8, options: [[0, 'i8', 0]] },
      { code: B.RESHAPE, inputs: [10, 11], outputs: [12], optionsType: 17, options: [[0, 'ints', [1, 1, 5]]] },
      { code: B.SQUEEZE, inputs: [12], outputs: [13], optionsType: 30, options: [[0, 'ints', [1]]] },
      { code: B.PAD, inputs: [13, 14], outputs: [15] },
      { code: B.CONCATENATION, inputs: [15, 13], outputs: [16], optionsType: 10, options: [[0, 'i32', 1], [1, 'i8', 0]] },
      { code: B.DEQUANTIZE, inputs: [16], outputs: [17] },
    ],
    inputs: [0],
    outputs: [17],
  };
}

test('13 op kinds imported from TFLite agree with LiteRT.js within 1 LSB on random inputs', async () => {
  const bytes = buildTflite(graph());
  const model = importTflite(bytes, { source: 'ops.tflite' });
  assert.equal(model.ops.map((o) => o.kind), ['Quantize', 'MaxPool2D', 'Relu', 'Relu6', 'HardSwish', 'Logistic', 'Mul', 'FullyConnected', 'Reshape', 'Reshape', 'Pad', 'Concatenation', 'Dequantize']);
  const session = await (await loadModel(model)).createSession();
  const peer = await createLiteRtPeer();
  await peer.load(bytes);
  const r = prng(8);
  let nonZero = 0;
  for (let trial = 0; trial < 20; trial++) {
    const input = Uint8Array.from({ length: 48 }, () => r.int(0, 255));
    const ours = (await session.run({ [session.inputNames[0]]: input }))[session.outputNames[0]] as Float32Array;
    const [ref] = await peer.run(input, [1, 4, 4, 3]);
    assert.is(ours.length, 13);
    for (let i = 0; i < 13; i++) {
      const lsb = Math.abs(ours[i] - (ref[i] as number)) / 0.05;
      if (ref[i] !== 0) nonZero++;
      assert.ok(lsb <= 1 + 1e-6, `trial ${trial} element ${i}: wasmq ${ours[i]}, LiteRT ${ref[i]} (${lsb.toFixed(2)} LSB)`);
    }
  }
  // LiteRT gives zeros when it cannot run a graph (seen with int8 concatenation of mixed scales): not here
  assert.ok(nonZero > 20 * 13 / 2, `only ${nonZero} non-zero LiteRT outputs`);
  peer.dispose();
  session.release();
});

test.run();
