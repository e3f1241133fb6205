// Seeded random small CNNs with consistent shapes: quantize -> conv -> depthwise -> 1x1 conv -> add (residual)
// -> pad -> pool -> concatenation -> mean -> reshape -> fully-connected -> softmax -> dequantize, every layer's
// geometry and quantization drawn from the PRNG.
import type { Model } from '../../src/format/model.js';
import { GraphBuilder, type Q } from '../runtime/build.js';
import { randomInt8, randomInt32, type Rng } from '../ref/prng.js';
import { actQuant, activation, logUniform } from './random-models.js';
import { interpret } from '../ref/interpreter.js';

/** Quantization of the logits from their real range on one random input (a one-sample calibration). */
function calibrateLogits(g: GraphBuilder, flat: number, fw: number, fcScales: number[], rng: Rng): { q: Q; range: number } {
  const probe = g.build(flat);
  const image = probe.tensors[probe.inputs[0]];
  const feed = Float32Array.from({ length: image.shape.reduce((a, b) => a * b, 1) }, () => 2.4 * rng.float() - 1.2);
  const q = interpret(probe, [feed])[flat] as Int8Array;
  const { scales, zeroPoints } = probe.tensors[flat].quant!;
  const weights = new Int8Array(probe.buffers[probe.tensors[fw].buffer!].buffer);
  const k = q.length;
  let lo = 0, hi = 0;
  fcScales.forEach((sw, n) => {
    let acc = 0;
    for (let i = 0; i < k; i++) acc += scales[0] * (q[i] - zeroPoints[0]) * sw * weights[n * k + i];
    lo = Math.min(lo, acc);
    hi = Math.max(hi, acc);
  });
  const scale = Math.fround(Math.max(hi - lo, 1e-3) / 255);
  return { q: { scale, zeroPoint: Math.max(-128, Math.min(127, Math.round(-128 - lo / scale))) }, range: Math.max(hi - lo, 1e-3) };
}

const outSize = (n: number, k: number, s: number, p0: number, p1: number): number => Math.floor((n + p0 + p1 - k) / s) + 1;

export function randomChain(rng: Rng): Model {
  const g = new GraphBuilder();
  let h = rng.int(4, 12), w = rng.int(4, 12), c = rng.int(1, 4);
  const image = g.input('image', [1, h, w, c], 'float32');
  let q: Q = actQuant(rng);
  let x = g.tensor('image/q', [1, h, w, c], 'int8', q);
  g.op('Quantize', [image], [x], {});
  const sIn = (): number => q.scale as number;

  const conv = (kind: 'Conv2D' | 'DepthwiseConv2D', cout: number, k: number, stride: number, name: string): void => {
    const pad = Math.floor((k - 1) / 2);
    const [ph, pw] = [outSize(h, k, stride, pad, k - 1 - pad), outSize(w, k, stride, pad, k - 1 - pad)];
    const channels = kind === 'Conv2D' ? cout : c;
    const scales = Array.from({ length: channels }, () => logUniform(rng, 0.002, 0.04));
    const wShape = kind === 'Conv2D' ? [cout, k, k, c] : [1, k, k, c];
    const wt = g.tensor(`${name}/w`, wShape, 'int8', { scale: scales, axis: kind === 'Conv2D' ? 0 : 3 }, randomInt8(rng, wShape.reduce((a, b) => a * b, 1), -127, 127));
    const b = g.tensor(`${name}/b`, [channels], 'int32', { scale: scales.map((s) => s * sIn()), axis: 0 }, randomInt32(rng, channels, -3000, 3000));
    const fanIn = kind === 'Conv2D' ? k * k * c : k * k;
    const qOut: Q = { scale: Math.fround(sIn() * 0.02 * Math.sqrt(fanIn) * 60 * logUniform(rng, 0.5, 2)), zeroPoint: rng.int(-128, 0) };
    const y = g.tensor(name, [1, ph, pw, channels], 'int8', qOut);
    const opts = { padTop: pad, padBottom: k - 1 - pad, padLeft: pad, padRight: k - 1 - pad, strideH: stride, strideW: stride, dilationH: 1, dilationW: 1, activation: activation(rng) };
    if (kind === 'Conv2D') g.op(kind, [x, wt, b], [y], opts, name);
    else g.op(kind, [x, wt, b], [y], { ...opts, depthMultiplier: 1 }, name);
    [x, q, h, w, c] = [y, qOut, ph, pw, channels];
  };

  conv('Conv2D', rng.int(4, 16), rng.pick([1, 3, 5]), rng.int(1, 2), 'conv1');
  conv('DepthwiseConv2D', c, rng.pick([3, 5]), rng.int(1, 2), 'dw1');
  const skip = x, skipScale = sIn();
  conv('Conv2D', c, 1, 1, 'pw1');
  // Output scales follow the inputs' so that values spread over the int8 range (no collapsed layers).
  const near = (scale: number): Q => ({ scale: Math.fround(scale * logUniform(rng, 0.8, 2)), zeroPoint: rng.int(-40, 40) });
  const sumQ = near(Math.max(skipScale, sIn()));
  const sum = g.tensor('add', [1, h, w, c], 'int8', sumQ);
  g.op('Add', [skip, x], [sum], { activation: activation(rng) }, 'residual');
  [x, q] = [sum, sumQ];

  const pads = [0, 0, rng.int(0, 2), rng.int(0, 2), rng.int(0, 2), rng.int(0, 2), 0, 0];
  const padded = g.tensor('pad', [1, h + pads[2] + pads[3], w + pads[4] + pads[5], c], 'int8', q);
  g.op('Pad', [x], [padded], { pads });
  [x, h, w] = [padded, h + pads[2] + pads[3], w + pads[4] + pads[5]];

  const f = Math.min(2, h, w);
  const [ph, pw] = [outSize(h, f, f, 0, 0), outSize(w, f, f, 0, 0)];
  const pooled = g.tensor('pool', [1, ph, pw, c], 'int8', rng.int(0, 1) ? q : near(sIn()));
  g.op(rng.pick(['AveragePool2D', 'MaxPool2D'] as const), [x], [pooled], { filterH: f, filterW: f, strideH: f, strideW: f, padTop: 0, padBottom: 0, padLeft: 0, padRight: 0, activation: 'none' });
  const other = g.tensor('branch', [1, ph, pw, 2], 'int8', near(sIn()), randomInt8(rng, ph * pw * 2));
  const catQ = near(sIn());
  const cat = g.tensor('concat', [1, ph, pw, c + 2], 'int8', catQ);
  g.op('Concatenation', [pooled, other], [cat], { axis: 3, activation: 'none' });
  c += 2;

  const gapQ = near((catQ.scale as number) * 0.5);
  const gap = g.tensor('gap', [1, 1, 1, c], 'int8', gapQ);
  g.op('Mean', [cat], [gap], { axes: [1, 2], keepDims: true });
  const flat = g.tensor('flat', [1, c], 'int8', gapQ);
  g.op('Reshape', [gap], [flat], {});
  const classes = rng.int(2, 12);
  const fcScales = Array.from({ length: classes }, () => logUniform(rng, 0.002, 0.04));
  const fw = g.tensor('fc/w', [classes, c], 'int8', { scale: fcScales, axis: 0 }, randomInt8(rng, classes * c, -127, 127));
  const calibrated = calibrateLogits(g, flat, fw, fcScales, rng);
  const logits = g.tensor('logits', [1, classes], 'int8', calibrated.q);
  g.op('FullyConnected', [flat, fw], [logits], { activation: 'none' }, 'fc');
  const probsQ = g.tensor('probs/q', [1, classes], 'int8', { scale: 1 / 256, zeroPoint: -128 });
  // beta spreads the logits' range over a few units, so the probabilities are not one-hot
  g.op('Softmax', [logits], [probsQ], { beta: Math.fround(logUniform(rng, 1, 6) / calibrated.range) });
  const probs = g.tensor('probs', [1, classes], 'float32');
  g.op('Dequantize', [probsQ], [probs], {});
  return g.build(probs);
}
