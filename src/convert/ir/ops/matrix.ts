// Gemm and MatMul (ONNX semantics) and FullyConnected (y = x w^T + b over the last dimension, w [N, K]).
import { activate, broadcastIndex, broadcastShapes, fail, need, type InferInput, type OpDef } from './types.js';

function gemmDims(node: Parameters<OpDef<'Gemm'>['infer']>[0], a: InferInput, b: InferInput) {
  if (a.shape.length !== 2 || b.shape.length !== 2) fail(node, 'SHAPE_MISMATCH', `Gemm needs 2D inputs, got [${a.shape}] and [${b.shape}]`);
  const [M, K] = node.attrs.transA ? [a.shape[1], a.shape[0]] : a.shape;
  const [K2, N] = node.attrs.transB ? [b.shape[1], b.shape[0]] : b.shape;
  if (K !== K2) fail(node, 'SHAPE_MISMATCH', `inner dimensions differ: [${a.shape}] x [${b.shape}]`);
  return { M, K, N };
}

export const Gemm: OpDef<'Gemm'> = {
  infer(node, inputs) {
    const a = need(node, inputs, 0), b = need(node, inputs, 1), c = inputs[2];
    const { M, N } = gemmDims(node, a, b);
    if (c) broadcastShapes(node, [M, N], c.shape).forEach((d, i) => d !== [M, N][i] && fail(node, 'SHAPE_MISMATCH', `C [${c.shape}] does not broadcast to [${M}, ${N}]`));
    return [{ shape: [M, N], dtype: a.dtype }];
  },
  run(node, inputs, outputs) {
    const a = need(node, inputs, 0), b = need(node, inputs, 1), c = inputs[2];
    const { M, K, N } = gemmDims(node, a, b);
    const { alpha, beta, transA, transB } = node.attrs;
    const cIdx = c ? broadcastIndex(c.shape, [M, N]) : undefined;
    const y = outputs[0].data;
    for (let m = 0; m < M; m++) for (let n = 0; n < N; n++) {
      let acc = 0;
      for (let k = 0; k < K; k++) acc += a.data[transA ? k * M + m : m * K + k] * b.data[transB ? n * K + k : k * N + n];
      y[m * N + n] = alpha * acc + (c && cIdx ? beta * c.data[cIdx[m * N + n]] : 0);
    }
  },
};

function matmulDims(node: Parameters<OpDef<'MatMul'>['infer']>[0], as: number[], bs: number[]) {
  if (as.length === 0 || bs.length === 0) fail(node, 'SHAPE_MISMATCH', 'MatMul inputs must have rank >= 1');
  const a = as.length === 1 ? [1, as[0]] : as, b = bs.length === 1 ? [bs[0], 1] : bs;
  const M = a[a.length - 2], K = a[a.length - 1], K2 = b[b.length - 2], N = b[b.length - 1];
  if (K !== K2) fail(node, 'SHAPE_MISMATCH', `inner dimensions differ: [${as}] x [${bs}]`);
  const batch = broadcastShapes(node, a.slice(0, -2), b.slice(0, -2));
  const out = [...batch, ...(as.length === 1 ? [] : [M]), ...(bs.length === 1 ? [] : [N])];
  return { a, b, M, K, N, batch, out };
}

export const MatMul: OpDef<'MatMul'> = {
  infer(node, inputs) {
    const a = need(node, inputs, 0), b = need(node, inputs, 1);
    return [{ shape: matmulDims(node, a.shape, b.shape).out, dtype: a.dtype }];
  },
  run(node, inputs, outputs) {
    const A = need(node, inputs, 0), B = need(node, inputs, 1);
    const { a, b, M, K, N, batch } = matmulDims(node, A.shape, B.shape);
    // batch offsets (in matrices) of each operand for each output batch element
    const aIdx = broadcastIndex(a.slice(0, -2), batch), bIdx = broadcastIndex(b.slice(0, -2), batch);
    const y = outputs[0].data;
    for (let t = 0; t < aIdx.length; t++) {
      const ao = aIdx[t] * M * K, bo = bIdx[t] * K * N, yo = t * M * N;
      for (let m = 0; m < M; m++) for (let n = 0; n < N; n++) {
        let acc = 0;
        for (let k = 0; k < K; k++) acc += A.data[ao + m * K + k] * B.data[bo + k * N + n];
        y[yo + m * N + n] = acc;
      }
    }
  },
};

export const FullyConnected: OpDef<'FullyConnected'> = {
  infer(node, inputs) {
    const x = need(node, inputs, 0), w = need(node, inputs, 1), b = inputs[2];
    const K = x.shape[x.shape.length - 1];
    if (w.shape.length !== 2 || w.shape[1] !== K) fail(node, 'SHAPE_MISMATCH', `weights [${w.shape}] must be [N, ${K}]`);
    if (b && (b.shape.length !== 1 || b.shape[0] !== w.shape[0])) fail(node, 'SHAPE_MISMATCH', `bias [${b.shape}] must be [${w.shape[0]}]`);
    return [{ shape: [...x.shape.slice(0, -1), w.shape[0]], dtype: x.dtype }];
  },
  run(node, inputs, outputs) {
    const x = need(node, inputs, 0), w = need(node, inputs, 1), b = inputs[2];
    const [N, K] = w.shape;
    const M = x.data.length / K;
    const y = outputs[0].data;
    for (let m = 0; m < M; m++) for (let n = 0; n < N; n++) {
      let acc = b ? b.data[n] : 0;
      for (let k = 0; k < K; k++) acc += x.data[m * K + k] * w.data[n * K + k];
      y[m * N + n] = activate(acc, node.attrs.activation);
    }
  },
};
