// `npm start`: the main job on the bundled default model. Converts the float digits CNN (models/digits) to int8
// with calibration on 200 training digits, evaluates float and int8 in the same runtime on the 2,000 held-out
// digits, and prints accuracy, agreement, latency per image, sizes and where the .wasmq files were written.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { SingleBar, Presets } from 'cli-progress';
import { convert, type ConversionResult } from '../convert/convert.js';
import { writeModel } from '../format/write.js';
import { loadModel } from '../runtime/load.js';
import { calibrationSamples, heldOutDigits, DIGIT_PIXELS } from './digits.js';
import { evaluateDigits, type DigitEval } from './evaluate.js';
import { packageRoot } from './paths.js';
import { readDigitsCard, normalizeDigits, type DigitsCard } from './model-card.js';

export interface StartResult {
  conversion: ConversionResult;
  float: DigitEval;
  int8: DigitEval;
  onnxPath: string;
  int8Path: string;
  floatPath: string;
}

/** Converts the bundled model and writes out/digits.int8.wasmq and out/digits.float.wasmq. */
export async function convertBundledDigits(options: { quiet?: boolean; outDir?: string } = {}): Promise<{ conversion: ConversionResult; card: DigitsCard; onnxPath: string; int8Path: string; floatPath: string }> {
  const root = packageRoot();
  const card = readDigitsCard();
  const onnxPath = card.onnxPath;
  const samples = [...calibrationSamples(card.inputName)].map((s) => ({ [card.inputName]: normalizeDigits(card, s[card.inputName]) }));
  const bar = options.quiet ? undefined : new SingleBar({ format: ' {stage} [{bar}] {value}/{total}', hideCursor: true }, Presets.shades_classic);
  let stage = '';
  const conversion = await convert(new Uint8Array(readFileSync(onnxPath)), samples, {
    metadata: {
      producer: 'wasmq npm start',
      labels: card.labels,
      preprocessing: { layout: 'NHWC', mean: card.mean, std: card.std, pixelScale: 1 / 255 },
    },
    onProgress: (s, done, total) => {
      if (!bar) return;
      if (s !== stage) {
        if (stage) bar.stop();
        stage = s;
        bar.start(total, 0, { stage: s === 'calibrate' ? 'calibrating' : 'layer report' });
      }
      bar.update(done);
      if (done === total) { bar.stop(); stage = ''; }
    },
  });
  const outDir = options.outDir ?? path.join(root, 'out');
  mkdirSync(outDir, { recursive: true });
  const int8Path = path.join(outDir, 'digits.int8.wasmq');
  const floatPath = path.join(outDir, 'digits.float.wasmq');
  writeFileSync(int8Path, conversion.bytes);
  writeFileSync(floatPath, writeModel(conversion.floatModel));
  return { conversion, card, onnxPath, int8Path, floatPath };
}

export async function start(options: { quiet?: boolean; outDir?: string } = {}): Promise<StartResult> {
  const { conversion, card, onnxPath, int8Path, floatPath } = await convertBundledDigits(options);
  const test = heldOutDigits();
  const normalized = normalizeDigits(card, test.images);
  const int8Model = await loadModel(readFileSync(int8Path));
  const floatModel = await loadModel(readFileSync(floatPath));
  const [int8, float] = await evaluateDigits([int8Model, floatModel], normalized, test.labels, DIGIT_PIXELS);
  return { conversion, float, int8, onnxPath, int8Path, floatPath };
}

function printReport(r: StartResult): void {
  const pct = (x: number) => `${(100 * x).toFixed(2)}%`;
  const kib = (n: number) => `${(n / 1024).toFixed(1)} KiB`;
  const rep = r.conversion.report;
  const floatBytes = readFileSync(r.floatPath).length;
  const agree = r.int8.predictions.reduce((n, p, i) => n + (p === r.float.predictions[i] ? 1 : 0), 0) / r.int8.predictions.length;
  const rel = (p: string) => path.relative(process.cwd(), p) || p;
  console.log(`
wasmq: the bundled digits CNN (${rel(r.onnxPath)}), int8 vs float32 in the same runtime
  calibration        ${rep.calibrationSamples} training digits, method ${rep.method}, per-${rep.perChannel ? 'channel' : 'tensor'} weights
  held-out digits    ${r.int8.predictions.length}

                     float32      int8
  accuracy           ${pct(r.float.accuracy).padEnd(12)} ${pct(r.int8.accuracy)}   (int8 - float: ${((r.int8.accuracy - r.float.accuracy) * 100).toFixed(2)} points)
  latency / image    ${`${r.float.medianMs.toFixed(3)} ms`.padEnd(12)} ${r.int8.medianMs.toFixed(3)} ms   (median of ${r.int8.predictions.length}; int8 ${(r.float.medianMs / r.int8.medianMs).toFixed(2)}x faster)
  model file         ${kib(floatBytes).padEnd(12)} ${kib(rep.wasmqBytes)}   (${(floatBytes / rep.wasmqBytes).toFixed(2)}x smaller; the ONNX file is ${kib(rep.onnxBytes)})
  agreement          ${pct(agree)} of digits get the same class from both

  least accurate layers (SQNR of int8 vs float on ${Math.min(32, rep.calibrationSamples)} calibration digits):
${rep.layers.slice(0, 5).map((l) => `    ${l.sqnrDb.toFixed(1).padStart(6)} dB  ${l.kind} '${l.name}'`).join('\n')}

  wrote ${rel(r.int8Path)} (int8) and ${rel(r.floatPath)} (float32)
  next: npx wasmq inspect ${rel(r.int8Path)}   |   npm run demo:web (draw digits in a browser)
`);
}

if (process.argv[1] && path.resolve(process.argv[1]).replace(/\.ts$/, '.js') === new URL(import.meta.url).pathname.replace(/\.ts$/, '.js')) {
  start().then(printReport, (e) => {
    console.error(`wasmq: ${e?.code ? `${e.code}: ` : ''}${e?.message ?? e}`);
    process.exit(1);
  });
}
