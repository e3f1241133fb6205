// The feature report shown on every page: what this browser offers wasmq and which kernel build runs.
import { detectFeatures } from './wasmq.js';

export function renderFeatures(el) {
  const f = detectFeatures();
  const yes = (v, extra = '') => `<span class="${v ? 'ok' : 'no'}">${v ? 'yes' : 'no'}</span>${extra}`;
  el.innerHTML = `<table id="features" data-simd="${f.simd}" data-relaxed-simd="${f.relaxedSimd}" data-threads="${f.threads}" data-kernel-build="${f.kernelBuild}">
    <tr><th>WebAssembly SIMD</th><td>${yes(f.simd, f.simd ? '' : ' (required: wasmq cannot run here)')}</td></tr>
    <tr><th>Relaxed SIMD</th><td>${yes(f.relaxedSimd, ' (detected; not used: its results differ across engines)')}</td></tr>
    <tr><th>Threads</th><td>${yes(f.threads, f.crossOriginIsolated ? ' (cross-origin isolated)' : ' (page is not cross-origin isolated)')}; wasmq runs single-threaded</td></tr>
    <tr><th>Kernel build</th><td><code>${f.kernelBuild}</code></td></tr>
  </table>`;
  return f;
}
