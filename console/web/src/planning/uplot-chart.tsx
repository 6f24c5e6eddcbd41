/**
 * One uPlot time-series chart. Times are drawn in Hong Kong time whatever the browser's zone; nulls are
 * gaps (spanGaps off). Horizontal limit lines (the AQO) are drawn on top with their labels. The figure
 * carries what it drew in `data-drawn` (ISO bucket starts, each series' values, the limit lines), which the browser
 * tests read and compare with the API's answer.
 */
import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { locale } from '../i18n/i18n.js';
import { theme } from '../theme/theme.js';

export interface ChartSeries {
  /** Stable name in data-drawn (labels change with the language). */
  id: string;
  label: string;
  values: Array<number | null>;
  colour: string;
  dashed?: boolean;
}

export interface LimitLine {
  label: string;
  value: number;
  colour: string;
}

export interface ChartProps {
  testId: string;
  title: string;
  xs: number[];
  series: ChartSeries[];
  unit: string;
  limits?: LimitLine[];
  height?: number;
}

const NO_LIMITS: LimitLine[] = [];

/**
 * Time labels in the UI's language and Hong Kong time (uPlot's own are English): hours as 24-hour clock
 * times, with the date where a day starts; whole-day steps as dates.
 */
function timeLabels(lang: string): (u: uPlot, splits: number[], axisIdx: number, space: number, incr: number) => string[] {
  const time = new Intl.DateTimeFormat(lang, { timeZone: 'Asia/Hong_Kong', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  const day = new Intl.DateTimeFormat(lang, { timeZone: 'Asia/Hong_Kong', month: 'short', day: 'numeric' });
  return (_u, splits, _axis, _space, incrS) =>
    splits.map((s) => {
      const date = new Date(s * 1000);
      if (incrS >= 86_400) return day.format(date);
      const clock = time.format(date);
      return clock === '00:00' ? `${clock}\n${day.format(date)}` : clock;
    });
}

const cssVar = (name: string) => getComputedStyle(document.documentElement).getPropertyValue(name).trim() || '#888';

export function UPlotChart({ testId, title, xs, series, unit, limits = NO_LIMITS, height = 220 }: ChartProps) {
  const holder = useRef<HTMLDivElement>(null);
  const lang = locale.value;
  const colours = theme.value;
  useEffect(() => {
    const el = holder.current;
    if (!el) return;
    const text = cssVar('--sw-text');
    const grid = cssVar('--sw-border');
    const axis = { stroke: text, grid: { stroke: grid, width: 0.5 }, ticks: { stroke: grid } };
    const limitMax = Math.max(0, ...limits.map((l) => l.value));
    const opts: uPlot.Options = {
      width: Math.max(280, el.clientWidth),
      height,
      tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), 'Asia/Hong_Kong'),
      scales: { x: { time: true }, y: { range: (_u, min, max) => [Math.min(0, min ?? 0), Math.max(max ?? 1, limitMax * 1.1, 1)] } },
      axes: [{ ...axis, values: timeLabels(lang) }, { ...axis, label: unit, size: 60 }],
      legend: { show: true },
      series: [{ label: lang === 'en' ? 'Time (HKT)' : '時間（香港）' }, ...series.map((s) => ({ label: s.label, stroke: s.colour, width: 2, spanGaps: false, ...(s.dashed ? { dash: [6, 4] } : {}) }))],
      hooks: {
        draw: [
          (u: uPlot) => {
            const ctx = u.ctx;
            for (const line of limits) {
              const y = u.valToPos(line.value, 'y', true);
              ctx.save();
              ctx.strokeStyle = line.colour;
              ctx.fillStyle = line.colour;
              ctx.setLineDash([4, 4]);
              ctx.lineWidth = 1.5 * devicePixelRatio;
              ctx.beginPath();
              ctx.moveTo(u.bbox.left, y);
              ctx.lineTo(u.bbox.left + u.bbox.width, y);
              ctx.stroke();
              ctx.font = `${12 * devicePixelRatio}px system-ui, sans-serif`;
              ctx.textAlign = 'left';
              ctx.textBaseline = 'bottom';
              ctx.fillText(line.label, u.bbox.left + 4 * devicePixelRatio, y - 4 * devicePixelRatio);
              ctx.restore();
            }
          },
        ],
      },
    };
    const plot = new uPlot(opts, [xs, ...series.map((s) => s.values)] as uPlot.AlignedData, el);
    const resize = new ResizeObserver(() => plot.setSize({ width: Math.max(280, el.clientWidth), height }));
    resize.observe(el);
    return () => {
      resize.disconnect();
      plot.destroy();
    };
  }, [xs, series, limits, unit, height, lang, colours]);

  const drawn = JSON.stringify({ x: xs.map((s) => new Date(s * 1000).toISOString()), series: Object.fromEntries(series.map((s) => [s.id, s.values])), limits: limits.map((l) => ({ label: l.label, value: l.value })) });
  return (
    <figure class="chart" data-testid={testId} data-drawn={drawn}>
      <figcaption class="sr-only">{title}</figcaption>
      <div ref={holder} class="chart-canvas" role="img" aria-label={title} />
    </figure>
  );
}
