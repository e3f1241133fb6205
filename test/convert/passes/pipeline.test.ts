import { test } from 'uvu';
import { cases } from '../onnx/cases.js';
import { DEFAULT_PASSES } from '../../../src/convert/passes/pipeline.js';
import { checkPasses } from './harness.js';
import * as assert from 'uvu/assert';

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

test.run();
