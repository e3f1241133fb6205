import { test } from 'uvu';
import { cases } from '../onnx/cases.js';
import { DEFAULT_PASSES } from '../../../src/convert/passes/pipeline.js';
import { checkPasses } from './harness.js';
import * as assert from 'uvu/assert';
import { decodeModelProto, encodeModelProto } from '../../../src/convert/onnx/proto.js';
import { importOnnx } from '../../../src/convert/onnx/import.js';
import { runPasses } from '../../../src/convert/passes/pipeline.js';
import { execute } from '../../../src/convert/ir/execute.js';
import { WasmqError } from '../../../src/runtime/errors.js';
import { prng } from '../../ref/prng.js';

// After every pass (constant folding, BN folding, fusion, FC, reshapes, NHWC) the float32 executor still
// matches onnxruntime within 1e-5 relative to the output magnitude (BN folding reorders the float arithmetic).
for (const c of cases()) {
  test(`all passes: ${c.name}`, async () => {
    const g = await checkPasses(c, DEFAULT_PASSES, 1e-5);
    assert.is(g.layout, 'NHWC');
    const ops = new Set(g.nodes.map((n) => n.op));
    for (const gone of ['BatchNorm', 'Identity', 'Dropout', 'Gemm', 'Flatten', 'Squeeze', 'Unsqueeze', 'Shape', 'Gather', 'Sub', 'Div', 'Slice', 'Cast', 'ConstantOfShape']) {
      assert.not.ok(ops.has(gone as never), `${gone} left in ${c.name}`);
    }
  });
}

// Well-formed protobuf with hostile values (attributes, dims, input shapes, shape constants set to -3 .. 1e12):
// import, passes and the executor either work or throw a WasmqError; never a RangeError, TypeError or hang.
test('structured fuzz of every case: typed errors only', () => {
  const r = prng(12);
  const VALUES = [-3, -1, 0, 1, 2, 3, 5, 100, 2 ** 31, 1e12];
  let worked = 0, refused = 0;
  for (const c of cases()) {
    for (let i = 0; i < 25; i++) {
      const m = decodeModelProto(c.bytes);
      const g = m.graph!;
      const slots: (() => void)[] = [];
      for (const n of g.node) for (const a of n.attribute) {
        if (a.ints.length) slots.push(() => { a.ints[r.int(0, a.ints.length - 1)] = r.pick(VALUES); });
        if (a.i !== undefined) slots.push(() => { a.i = r.pick(VALUES); });
        if (a.f !== undefined) slots.push(() => { a.f = r.pick(VALUES); });
      }
      for (const t of g.initializer) {
        if (t.dims.length) slots.push(() => { t.dims[r.int(0, t.dims.length - 1)] = r.pick(VALUES); });
        const raw = t.rawData;
        if (t.dataType === 7 && raw) slots.push(() => new DataView(raw.buffer, raw.byteOffset).setBigInt64(8 * r.int(0, raw.length / 8 - 1), BigInt(r.pick(VALUES)), true));
      }
      for (const vi of g.input) {
        const d = vi.type?.tensorType?.shape?.dim;
        if (d) slots.push(() => { d[r.int(0, d.length - 1)] = { dimValue: r.pick(VALUES) }; });
      }
      for (let k = r.int(1, 2); k > 0; k--) r.pick(slots)();
      try {
        const graph = runPasses(importOnnx(encodeModelProto(m)));
        const feeds = Object.fromEntries(graph.inputs.map((n) => [n, new Float32Array(graph.tensors.get(n)!.shape!.reduce((a, d) => a * d, 1))]));
        if (Object.values(feeds).every((f) => f.length < 1e5)) execute(graph, feeds);
        worked++;
      } catch (e) {
        if (!(e instanceof WasmqError)) assert.unreachable(`${c.name} #${i}: ${(e as Error).stack}`);
        refused++;
      }
    }
  }
  assert.ok(worked > 50 && refused > 200, `${worked} worked, ${refused} refused`);
});

test.run();
