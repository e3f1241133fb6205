// A horizontal bar chart (SVG, no dependencies) of the model benchmark: median per row, p10-p90 whisker.
import { label, type ResultRow } from './report.js';

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function svgChart(rows: ResultRow[], title: string, subtitle: string): string {
  const barH = 22, gap = 8, left = 330, width = 900, top = 64, right = 70;
  const max = Math.max(...rows.map((r) => r.p90_ms)) * 1.05;
  const x = (ms: number) => left + (ms / max) * (width - left - right);
  const height = top + rows.length * (barH + gap) + 40;
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, sans-serif" font-size="13">`,
    `<rect width="100%" height="100%" fill="#fff"/>`,
    `<text x="16" y="24" font-size="16" font-weight="bold">${esc(title)}</text>`,
    `<text x="16" y="44" fill="#555">${esc(subtitle)}</text>`,
  ];
  rows.forEach((r, i) => {
    const y = top + i * (barH + gap);
    const fill = r.runtime === 'wasmq' ? (r.precision === 'int8' ? '#1f77b4' : '#8fbbd9') : r.precision === 'int8' ? '#d62728' : '#f0a0a0';
    parts.push(
      `<text x="${left - 8}" y="${y + barH * 0.7}" text-anchor="end">${esc(label(r))}</text>`,
      `<rect x="${left}" y="${y}" width="${(x(r.median_ms) - left).toFixed(1)}" height="${barH}" fill="${fill}"/>`,
      `<line x1="${x(r.p10_ms).toFixed(1)}" x2="${x(r.p90_ms).toFixed(1)}" y1="${y + barH / 2}" y2="${y + barH / 2}" stroke="#333"/>`,
      `<text x="${(x(r.p90_ms) + 6).toFixed(1)}" y="${y + barH * 0.7}">${r.median_ms.toFixed(1)} ms</text>`,
    );
  });
  const axisY = top + rows.length * (barH + gap) + 4;
  parts.push(`<line x1="${left}" x2="${width - right}" y1="${axisY}" y2="${axisY}" stroke="#999"/>`);
  const step = max > 200 ? 50 : max > 80 ? 20 : 10;
  for (let ms = 0; ms <= max; ms += step) parts.push(`<text x="${x(ms).toFixed(1)}" y="${axisY + 16}" text-anchor="middle" fill="#555">${ms}</text>`);
  parts.push(`<text x="${width - right}" y="${axisY + 32}" text-anchor="end" fill="#555">ms per inference (median, whisker p10–p90; lower is better)</text>`, '</svg>');
  return parts.join('\n') + '\n';
}
