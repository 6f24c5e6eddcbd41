/**
 * The soak's plot: three stacked panels (RSS, heap after GC, event-loop lag p99) over time, the warm-up
 * shaded and each memory panel's fitted slope drawn, as an SVG drawn by hand and turned into a PNG by sharp.
 */
import sharp from 'sharp';
import type { Sample } from './sampler.js';
import type { Slope } from './slopes.js';

const WIDTH = 960;
const PANEL_HEIGHT = 200;
const MARGIN = { left: 70, right: 20, top: 34, bottom: 36 };

interface Panel {
  title: string;
  unit: string;
  pick: (s: Sample) => number;
  fit?: Slope;
  colour: string;
}

const escape = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function panelSvg(panel: Panel, samples: readonly Sample[], warmupS: number, endS: number, top: number): string {
  const values = samples.map(panel.pick);
  let low = Math.min(...values);
  let high = Math.max(...values);
  if (high - low < 1e-9) [low, high] = [low - 1, high + 1];
  const pad = (high - low) * 0.1;
  [low, high] = [Math.max(0, low - pad), high + pad];
  const plotW = WIDTH - MARGIN.left - MARGIN.right;
  const plotH = PANEL_HEIGHT - MARGIN.top - MARGIN.bottom;
  const x = (t: number) => MARGIN.left + (t / Math.max(endS, 1)) * plotW;
  const y = (v: number) => top + MARGIN.top + plotH - ((v - low) / (high - low)) * plotH;
  const points = samples.map((s) => `${x(s.tS).toFixed(1)},${y(panel.pick(s)).toFixed(1)}`).join(' ');
  const fit = panel.fit && Number.isFinite(panel.fit.per10Min)
    ? `<line x1="${x(warmupS)}" y1="${y(panel.fit.intercept)}" x2="${x(endS)}" y2="${y(panel.fit.intercept + (panel.fit.per10Min * (endS - warmupS)) / 600)}" stroke="#d33" stroke-width="1.5" stroke-dasharray="6 4"/>`
    : '';
  const slopeText = panel.fit && Number.isFinite(panel.fit.per10Min) ? ` — slope after warm-up ${panel.fit.per10Min.toFixed(2)} ${panel.unit} per 10 min` : '';
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((f) => {
    const t = f * endS;
    return `<text x="${x(t)}" y="${top + PANEL_HEIGHT - 14}" font-size="11" text-anchor="middle">${(t / 60).toFixed(1)} min</text>`;
  });
  return [
    `<rect x="${MARGIN.left}" y="${top + MARGIN.top}" width="${x(warmupS) - MARGIN.left}" height="${plotH}" fill="#eee"/>`,
    `<rect x="${MARGIN.left}" y="${top + MARGIN.top}" width="${plotW}" height="${plotH}" fill="none" stroke="#999"/>`,
    `<text x="${MARGIN.left}" y="${top + 22}" font-size="14" font-weight="bold">${escape(panel.title)} (${escape(panel.unit)})${escape(slopeText)}</text>`,
    `<text x="${MARGIN.left - 6}" y="${y(high) + 4}" font-size="11" text-anchor="end">${high.toFixed(1)}</text>`,
    `<text x="${MARGIN.left - 6}" y="${y(low)}" font-size="11" text-anchor="end">${low.toFixed(1)}</text>`,
    ...ticks,
    `<polyline points="${points}" fill="none" stroke="${panel.colour}" stroke-width="2"/>`,
    ...samples.map((s) => `<circle cx="${x(s.tS).toFixed(1)}" cy="${y(panel.pick(s)).toFixed(1)}" r="2" fill="${panel.colour}"/>`),
    fit,
  ].join('\n');
}

export function soakSvg(samples: readonly Sample[], warmupS: number, endS: number, slopes: { rss: Slope; heap: Slope }, title: string): string {
  const panels: Panel[] = [
    { title: 'RSS', unit: 'MB', pick: (s) => s.rssMb, fit: slopes.rss, colour: '#1f77b4' },
    { title: 'Node heap after forced GC', unit: 'MB', pick: (s) => s.heapAfterGcMb, fit: slopes.heap, colour: '#2ca02c' },
    { title: 'Event-loop lag p99', unit: 'ms', pick: (s) => s.loopLagP99Ms, colour: '#9467bd' },
  ];
  const height = 30 + panels.length * PANEL_HEIGHT;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" font-family="DejaVu Sans, sans-serif">`,
    `<rect width="100%" height="100%" fill="#fff"/>`,
    `<text x="${WIDTH / 2}" y="20" font-size="15" text-anchor="middle">${escape(title)} (grey: warm-up, red dashes: fitted slope)</text>`,
    ...panels.map((p, i) => panelSvg(p, samples, warmupS, endS, 30 + i * PANEL_HEIGHT)),
    '</svg>',
  ].join('\n');
}

export async function writePlot(svg: string, file: string): Promise<void> {
  await sharp(Buffer.from(svg)).png().toFile(file);
}
