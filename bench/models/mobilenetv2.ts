// MobileNetV2 1.0 224 (Sandler et al.), the standard edge benchmark, as a list of layers with batch-norm already
// folded (conv + bias). Each peer builds its own graph from this one description, so every runtime executes the
// same architecture; weights are seeded random values (latency does not depend on them).

export type Act = 'relu6' | 'none';

export type Layer =
  | { kind: 'conv'; cin: number; cout: number; k: number; stride: number; act: Act; /** add the output of layer `residual` */ residual?: number }
  | { kind: 'dwconv'; c: number; k: number; stride: number; act: Act }
  | { kind: 'gap' }
  | { kind: 'fc'; cin: number; cout: number };

/** (expansion t, output channels c, repeats n, first stride s) per stage, from the paper's table 2. */
const STAGES = [
  [1, 16, 1, 1], [6, 24, 2, 2], [6, 32, 3, 2], [6, 64, 4, 2], [6, 96, 3, 1], [6, 160, 3, 2], [6, 320, 1, 1],
] as const;

export const MOBILENETV2_INPUT = [1, 224, 224, 3]; // NHWC
export const MOBILENETV2_CLASSES = 1000;

export function mobilenetV2(): Layer[] {
  const layers: Layer[] = [{ kind: 'conv', cin: 3, cout: 32, k: 3, stride: 2, act: 'relu6' }];
  let cin = 32;
  for (const [t, c, n, s] of STAGES) {
    for (let i = 0; i < n; i++) {
      const stride = i === 0 ? s : 1;
      const blockInput = layers.length - 1; // the layer whose output enters this block
      const hidden = cin * t;
      if (t !== 1) layers.push({ kind: 'conv', cin, cout: hidden, k: 1, stride: 1, act: 'relu6' });
      layers.push({ kind: 'dwconv', c: hidden, k: 3, stride, act: 'relu6' });
      const residual = stride === 1 && cin === c ? blockInput : undefined;
      layers.push({ kind: 'conv', cin: hidden, cout: c, k: 1, stride: 1, act: 'none', residual });
      cin = c;
    }
  }
  layers.push({ kind: 'conv', cin, cout: 1280, k: 1, stride: 1, act: 'relu6' });
  layers.push({ kind: 'gap' });
  layers.push({ kind: 'fc', cin: 1280, cout: MOBILENETV2_CLASSES });
  return layers;
}

/** Multiply-accumulates of the whole network for a 224x224 input (about 300 M). */
export function mobilenetV2Macs(): number {
  let h = 224, macs = 0;
  for (const l of mobilenetV2()) {
    if (l.kind === 'conv') { h = Math.ceil(h / l.stride); macs += h * h * l.cin * l.cout * l.k * l.k; }
    else if (l.kind === 'dwconv') { h = Math.ceil(h / l.stride); macs += h * h * l.c * l.k * l.k; }
    else if (l.kind === 'fc') macs += l.cin * l.cout;
  }
  return macs;
}

/** Deterministic weights: a seeded uniform stream scaled like He initialisation. */
export function seededWeights(seed: number, n: number, fanIn: number): Float32Array {
  let s = seed >>> 0;
  const out = new Float32Array(n);
  const scale = Math.sqrt(6 / fanIn);
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = ((s / 4294967296) * 2 - 1) * scale;
  }
  return out;
}
