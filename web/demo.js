// The digit demo: both the int8 model and its float32 original run in wasmq; the page shows the int8 top-3,
// whether float agrees, the latency of each and the models' sizes.
import { loadModel } from './wasmq.js';
import { renderFeatures } from './features.js';

const $ = (id) => document.getElementById(id);
const LATENCY_RUNS = 25;

renderFeatures($('featureReport'));

async function load(url) {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`${url}: HTTP ${res.status} (run \`npm start\` first: it writes the models into out/)`);
  const bytes = new Uint8Array(await res.arrayBuffer());
  const model = await loadModel(bytes);
  return { bytes: bytes.length, model, session: await model.createSession() };
}

let int8, float;
try {
  [int8, float] = await Promise.all([load('models/digits.int8.wasmq'), load('models/digits.float.wasmq')]);
  const kb = (n) => `${(n / 1024).toFixed(1)} KiB`;
  $('models').innerHTML = `<table>
    <tr><th></th><th class="num">file</th><th class="num">arena</th></tr>
    <tr><th>int8</th><td class="num" id="size-int8">${kb(int8.bytes)}</td><td class="num">${kb(int8.model.info.memory.arenaBytes)}</td></tr>
    <tr><th>float32</th><td class="num" id="size-float">${kb(float.bytes)}</td><td class="num">${kb(float.model.info.memory.arenaBytes)}</td></tr>
  </table><p>int8 is ${(float.bytes / int8.bytes).toFixed(1)}× smaller.</p>`;
  document.body.dataset.ready = 'true';
} catch (e) {
  $('error').textContent = String(e && e.stack || e);
  document.body.dataset.ready = 'error';
}

// ---- input: a 280x280 pad scaled to the 28x28 the model was trained on (white digit on black, centred)
const pad = $('pad'), ctx = pad.getContext('2d');
ctx.fillStyle = '#000';
ctx.fillRect(0, 0, pad.width, pad.height);
let drawing = false;
pad.addEventListener('pointerdown', (e) => { drawing = true; stroke(e); });
pad.addEventListener('pointermove', (e) => drawing && stroke(e));
addEventListener('pointerup', () => { if (drawing) { drawing = false; classify(); } });
$('clear').onclick = () => { ctx.fillStyle = '#000'; ctx.fillRect(0, 0, pad.width, pad.height); $('result').innerHTML = '<p>Draw something.</p>'; };
function stroke(e) {
  const r = pad.getBoundingClientRect();
  ctx.fillStyle = '#fff';
  ctx.beginPath();
  ctx.arc(e.clientX - r.left, e.clientY - r.top, 11, 0, 2 * Math.PI);
  ctx.fill();
}

async function drawImageFile(file) {
  const bmp = await createImageBitmap(file);
  ctx.fillStyle = '#000';
  ctx.fillRect(0, 0, pad.width, pad.height);
  ctx.drawImage(bmp, 0, 0, pad.width, pad.height);
  // Photos of dark ink on paper: invert so the digit is bright on dark, as in training.
  const img = ctx.getImageData(0, 0, pad.width, pad.height);
  let sum = 0;
  for (let i = 0; i < img.data.length; i += 4) sum += img.data[i];
  if (sum / (img.data.length / 4) > 127) {
    for (let i = 0; i < img.data.length; i += 4) for (let c = 0; c < 3; c++) img.data[i + c] = 255 - img.data[i + c];
    ctx.putImageData(img, 0, 0);
  }
  await classify();
}
$('file').addEventListener('change', (e) => e.target.files[0] && drawImageFile(e.target.files[0]));
const drop = $('drop');
drop.addEventListener('dragover', (e) => e.preventDefault());
drop.addEventListener('drop', (e) => { e.preventDefault(); const f = e.dataTransfer.files[0]; if (f) drawImageFile(f); });

/** 28x28 grayscale in [0, 1]: the drawing's bounding box scaled into 20x20 and centred, as MNIST digits are. */
function toDigit() {
  const { data, width, height } = ctx.getImageData(0, 0, pad.width, pad.height);
  let x0 = width, y0 = height, x1 = -1, y1 = -1;
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) {
    if (data[(y * width + x) * 4] > 32) { x0 = Math.min(x0, x); x1 = Math.max(x1, x); y0 = Math.min(y0, y); y1 = Math.max(y1, y); }
  }
  const small = $('small').getContext('2d');
  small.fillStyle = '#000';
  small.fillRect(0, 0, 28, 28);
  if (x1 < 0) return null;
  const w = x1 - x0 + 1, h = y1 - y0 + 1, s = 20 / Math.max(w, h);
  small.imageSmoothingQuality = 'high';
  small.drawImage(pad, x0, y0, w, h, 14 - (w * s) / 2, 14 - (h * s) / 2, w * s, h * s);
  const px = small.getImageData(0, 0, 28, 28).data;
  const out = new Float32Array(28 * 28);
  for (let i = 0; i < out.length; i++) out[i] = px[i * 4] / 255;
  return out;
}

/** The model's float input from [0, 1] pixels, with the preprocessing stored in the model. */
function feed(model, pixels) {
  const input = model.info.inputs[0];
  const pre = model.info.metadata.preprocessing;
  const x = new Float32Array(pixels.length);
  for (let i = 0; i < x.length; i++) x[i] = pre ? (pixels[i] - pre.mean[0]) / pre.std[0] : pixels[i];
  return { [input.name]: x };
}

function softmax(logits) {
  const m = Math.max(...logits);
  const e = Array.from(logits, (v) => Math.exp(v - m));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / s);
}

async function timed(m, feeds) {
  let out = await m.session.run(feeds);
  const times = [];
  for (let i = 0; i < LATENCY_RUNS; i++) {
    const t0 = performance.now();
    out = await m.session.run(feeds);
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  const logits = out[m.model.info.outputs[0].name];
  return { probs: softmax(logits), ms: times[times.length >> 1] };
}

async function classify() {
  if (!int8) return;
  const pixels = toDigit();
  if (!pixels) return;
  const a = await timed(int8, feed(int8.model, pixels));
  const b = await timed(float, feed(float.model, pixels));
  const order = a.probs.map((p, i) => [p, i]).sort((x, y) => y[0] - x[0]);
  const top = order[0][1], floatTop = b.probs.indexOf(Math.max(...b.probs));
  const labels = int8.model.info.metadata.labels ?? a.probs.map((_, i) => String(i));
  $('result').dataset.state = 'done';
  $('result').dataset.int8Class = labels[top];
  $('result').dataset.floatClass = labels[floatTop];
  $('result').innerHTML = `<table>
      <tr><th>class</th><th class="num">int8 probability</th></tr>
      ${order.slice(0, 3).map(([p, i]) => `<tr><td>${labels[i]}</td><td class="num">${(100 * p).toFixed(1)}%</td></tr>`).join('')}
    </table>
    <p>float32 says <b>${labels[floatTop]}</b> <span class="${floatTop === top ? 'ok' : 'no'}">(${floatTop === top ? 'agrees' : 'disagrees'})</span></p>
    <table>
      <tr><th>latency (median of ${LATENCY_RUNS})</th><th class="num">ms</th></tr>
      <tr><td>int8</td><td class="num" id="ms-int8">${a.ms.toFixed(3)}</td></tr>
      <tr><td>float32</td><td class="num" id="ms-float">${b.ms.toFixed(3)}</td></tr>
    </table>`;
}
