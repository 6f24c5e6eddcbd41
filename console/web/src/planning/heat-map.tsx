/**
 * The hour-of-week heat map (GET /analytics/hour-of-week): 7 rows (Monday first) × 24 Hong Kong hours of
 * mean motor vehicles per hour, drawn as a canvas grid. Hours without readings stay empty (hatched), not
 * zero. The cells it drew are in `data-cells` as [isoDayOfWeek, hour, value].
 */
import { useEffect, useRef } from 'preact/hooks';
import { locale, t } from '../i18n/i18n.js';
import { theme } from '../theme/theme.js';
import { analyticsUrl, useAnalytics } from './analytics-query.js';
import { CsvButton } from './csv-button.js';
import { placeParams, range, rangeParams } from './filters.js';

interface ProfileAnswer {
  data: Array<{ isoDayOfWeek: number; hour: number; motorVehiclesPerHour: number; hours: number }>;
}

const DAY_KEYS = ['planning.mon', 'planning.tue', 'planning.wed', 'planning.thu', 'planning.fri', 'planning.sat', 'planning.sun'] as const;
const LABEL_W = 48;
const HEAD_H = 18;

/** Light yellow to dark red: lightness falls as the value rises, so it reads without colour vision too. */
function heat(share: number): string {
  const hue = 50 - 45 * share;
  const light = 85 - 55 * share;
  return `hsl(${hue} 90% ${light}%)`;
}

export function HeatMapCard() {
  const r = range.value;
  const url = analyticsUrl('hour-of-week', { ...rangeParams(r), ...placeParams(), limit: '10000' });
  const answer = useAnalytics<ProfileAnswer>(url);
  const canvas = useRef<HTMLCanvasElement>(null);
  const cells = answer.data?.data.map((row) => [row.isoDayOfWeek, row.hour, row.motorVehiclesPerHour] as const) ?? [];
  const max = Math.max(0, ...cells.map((c) => c[2]));
  const lang = locale.value;
  const colours = theme.value;

  useEffect(() => {
    const el = canvas.current;
    const ctx = el?.getContext('2d');
    if (!el || !ctx) return;
    const width = el.clientWidth || 600;
    const cellW = (width - LABEL_W) / 24;
    const cellH = 20;
    const height = HEAD_H + cellH * 7;
    el.width = width * devicePixelRatio;
    el.height = height * devicePixelRatio;
    el.style.height = `${height}px`;
    ctx.scale(devicePixelRatio, devicePixelRatio);
    const style = getComputedStyle(document.documentElement);
    const text = style.getPropertyValue('--sw-text').trim() || '#000';
    const empty = style.getPropertyValue('--sw-surface-raised').trim() || '#ccc';
    ctx.font = '11px system-ui, sans-serif';
    ctx.fillStyle = text;
    for (let h = 0; h < 24; h += 3) ctx.fillText(String(h).padStart(2, '0'), LABEL_W + h * cellW + 2, 12);
    const value = new Map(cells.map(([d, h, v]) => [`${d}|${h}`, v]));
    for (let d = 1; d <= 7; d++) {
      ctx.fillStyle = text;
      ctx.fillText(t(DAY_KEYS[d - 1]!), 2, HEAD_H + (d - 1) * cellH + 14);
      for (let h = 0; h < 24; h++) {
        const v = value.get(`${d}|${h}`);
        ctx.fillStyle = v === undefined ? empty : heat(max > 0 ? v / max : 0);
        ctx.fillRect(LABEL_W + h * cellW + 1, HEAD_H + (d - 1) * cellH + 1, cellW - 2, cellH - 2);
      }
    }
  }, [answer.data, lang, colours]);

  return (
    <section class="dash-card" aria-labelledby="heat-title" data-testid="heatmap-card">
      <header class="dash-card-head">
        <h2 id="heat-title">{t('planning.heatMap')}</h2>
        <CsvButton url={url} name="hour-of-week" testId="heatmap-csv" />
      </header>
      {answer.error && <p class="problem" role="alert">{answer.error}</p>}
      <canvas ref={canvas} class="heat-map" data-testid="heatmap" data-cells={JSON.stringify(cells)} role="img" aria-label={t('planning.heatMapLabel', { max: Math.round(max) })} />
      <p class="muted small">{t('planning.heatMapLegend', { max: Math.round(max) })}</p>
    </section>
  );
}
