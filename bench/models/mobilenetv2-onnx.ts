// The float MobileNetV2 1.0 224 of bench/models/mobilenetv2.ts as ONNX (opset 13, NCHW, batch 1), seeded
// weights, batch-norm folded (Conv + bias, Clip 0..6): what onnxruntime runs in float and what wasmq converts.
// Generated on demand by the benchmark (a 14 MB file is not committed): `npx tsx bench/models/mobilenetv2-onnx.ts out.onnx`.
import { writeFileSync } from 'node:fs';
import { OnnxBuilder } from '../../src/convert/onnx/builder.js';
import { mobilenetV2, seededWeights, MOBILENETV2_CLASSES } from './mobilenetv2.js';

export function mobilenetV2Onnx(): Uint8Array {
  const b = new OnnxBuilder({ opset: 13, producer: 'wasmq bench' });
  b.input('input', [1, 3, 224, 224]);
  const outs: string[] = [];
  let x = 'input';
  const relu6 = (i: number, y: string) => {
    const z = `l${i}_relu6`;
    b.node('Clip', [y, 'zero', 'six'], [z]);
    return z;
  };
  b.initializer('zero', [], [0]).initializer('six', [], [6]);
  mobilenetV2().forEach((l, i) => {
    if (l.kind === 'conv' || l.kind === 'dwconv') {
      const cin = l.kind === 'conv' ? l.cin : 1, cout = l.kind === 'conv' ? l.cout : l.c;
      b.initializer(`l${i}_w`, [cout, cin, l.k, l.k], seededWeights(i, cout * cin * l.k * l.k, cin * l.k * l.k));
      b.initializer(`l${i}_b`, [cout], new Float32Array(cout).map((_, c) => 0.01 * ((c % 7) - 3)));
      const p = (l.k - 1) >> 1;
      let y = `l${i}_conv`;
      b.node('Conv', [x, `l${i}_w`, `l${i}_b`], [y], { kernel_shape: [l.k, l.k], strides: [l.stride, l.stride], pads: [p, p, p, p], group: l.kind === 'dwconv' ? l.c : 1 });
      if (l.act === 'relu6') y = relu6(i, y);
      if (l.kind === 'conv' && l.residual !== undefined) {
        b.node('Add', [y, outs[l.residual]], [`l${i}_add`]);
        y = `l${i}_add`;
      }
      x = y;
    } else if (l.kind === 'gap') {
      b.node('GlobalAveragePool', [x], ['gap']);
      b.node('Flatten', ['gap'], ['flat'], { axis: 1 });
      x = 'flat';
    } else {
      b.initializer('fc_w', [l.cout, l.cin], seededWeights(i, l.cin * l.cout, l.cin));
      b.initializer('fc_b', [l.cout], new Float32Array(l.cout));
      b.node('Gemm', [x, 'fc_w', 'fc_b'], ['logits'], { transB: 1 });
      x = 'logits';
    }
    outs.push(x);
  });
  b.output('logits', [1, MOBILENETV2_CLASSES]);
  return b.toBytes();
}

if (process.argv[1]?.endsWith('mobilenetv2-onnx.ts')) {
  const out = process.argv[2] ?? 'mobilenetv2.onnx';
  writeFileSync(out, mobilenetV2Onnx());
  console.log(`wrote ${out}`);
}
