// Renders the in-browser kernel benchmark: one table row per (kernel, shape), int8 next to its f32 twin.
import { renderFeatures } from './features.js';
import { runKernelBenchmark } from './kernel-bench.js';

const $ = (id) => document.getElementById(id);
renderFeatures($('featureReport'));

async function run(quick) {
  const table = $('kernel-results');
  table.dataset.done = 'false';
  const body = table.querySelector('tbody');
  body.innerHTML = '';
  const byShape = new Map();
  try {
    await runKernelBenchmark({
      quick,
      onRow(row, done, total) {
        $('progress').textContent = `${done} / ${total}`;
        const key = `${row.kernel} ${row.shape}`;
        let tr = byShape.get(key);
        if (!tr) {
          tr = document.createElement('tr');
          tr.dataset.kernel = row.kernel;
          tr.innerHTML = `<td>${row.kernel}</td><td>${row.shape}</td><td class="num i8"></td><td class="num f32"></td><td class="num ratio"></td><td class="num sc"></td>`;
          body.appendChild(tr);
          byShape.set(key, tr);
        }
        const cell = { 'int8-simd': '.i8', 'f32-simd': '.f32', 'int8-scalar': '.sc' }[row.variant];
        tr.querySelector(cell).textContent = row.gops.toFixed(2);
        tr.dataset[row.variant.replace('-', '')] = String(row.gops);
        const i8 = Number(tr.dataset.int8simd), f = Number(tr.dataset.f32simd);
        if (i8 && f) tr.querySelector('.ratio').textContent = `${(i8 / f).toFixed(2)}×`;
      },
    });
    table.dataset.done = 'true';
  } catch (e) {
    $('error').textContent = String(e && e.stack || e);
  }
}
$('run').onclick = () => run(true);
$('runFull').onclick = () => run(false);
