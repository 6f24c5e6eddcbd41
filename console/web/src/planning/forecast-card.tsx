/**
 * Forecasts beside actuals (GET /analytics/forecast): 5-minute motor-vehicle flow of one traffic device,
 * measured and as the central forecast job predicted it `horizon` minutes ahead. The route reads raw rows,
 * so the range is the chosen one cut to its last 7 days.
 */
import { useMemo, useState } from 'preact/hooks';
import { locale, t } from '../i18n/i18n.js';
import { devices } from '../live/store.js';
import { analyticsUrl, useAnalytics } from './analytics-query.js';
import { CsvButton } from './csv-button.js';
import { district, range } from './filters.js';
import { alignToBuckets } from './series.js';
import { UPlotChart } from './uplot-chart.js';

interface ForecastAnswer {
  meta: { from: string; to: string };
  data: Array<{ bucket: string; actualFlow: number | null; forecastFlow: number | null }>;
}

const TRAFFIC_KINDS = new Set(['camera', 'loop_detector']);
const WEEK_MS = 7 * 86_400_000;
const FIVE_MIN_MS = 300_000;
const HORIZONS = ['15', '30', '60'] as const;

export function ForecastCard() {
  const inDistrict = [...devices.value.values()]
    .filter((d) => TRAFFIC_KINDS.has(d.properties.kind) && (!district.value || d.properties.district === district.value))
    .sort((a, b) => a.id.localeCompare(b.id));
  const [chosen, setChosen] = useState('');
  const [horizon, setHorizon] = useState<(typeof HORIZONS)[number]>('15');
  const device = inDistrict.some((d) => d.id === chosen) ? chosen : (inDistrict[0]?.id ?? '');
  const r = range.value;
  const fromMs = Math.max(r.fromMs, r.toMs - WEEK_MS);
  const url = device ? analyticsUrl('forecast', { device, from: new Date(fromMs).toISOString(), to: new Date(r.toMs).toISOString(), horizon }) : null;
  const answer = useAnalytics<ForecastAnswer>(url);
  const chart = useMemo(() => {
    if (!answer.data || answer.data.data.length === 0) return { xs: [], series: [] };
    // Every 5-minute interval gets a slot, so intervals without readings or forecasts are gaps.
    const { meta, data } = answer.data;
    const aligned = alignToBuckets(data, Date.parse(meta.from), Date.parse(meta.to), FIVE_MIN_MS, ['actualFlow', 'forecastFlow']);
    return {
      xs: aligned.xs,
      series: [
        { id: 'actualFlow', label: t('planning.actual'), values: aligned.ys['actualFlow']!, colour: '#4da3ff' },
        { id: 'forecastFlow', label: t('planning.forecast', { minutes: horizon }), values: aligned.ys['forecastFlow']!, colour: '#f0883e', dashed: true },
      ],
    };
  }, [answer.data, horizon, locale.value]);
  return (
    <section class="dash-card" aria-labelledby="forecast-title" data-testid="forecast-card">
      <header class="dash-card-head">
        <h2 id="forecast-title">{t('planning.forecastTitle')}</h2>
        <label class="inline">
          <span>{t('planning.device')}</span>
          <select value={device} onChange={(e) => setChosen(e.currentTarget.value)} data-testid="forecast-device">
            {inDistrict.map((d) => (
              <option key={d.id} value={d.id}>{d.properties.name || d.id}</option>
            ))}
          </select>
        </label>
        <label class="inline">
          <span>{t('planning.horizon')}</span>
          <select value={horizon} onChange={(e) => setHorizon(e.currentTarget.value as (typeof HORIZONS)[number])}>
            {HORIZONS.map((h) => <option key={h} value={h}>{t('planning.minutes', { minutes: h })}</option>)}
          </select>
        </label>
        <CsvButton url={url} name={`forecast-${horizon}min`} testId="forecast-csv" />
      </header>
      {answer.error && <p class="problem" role="alert">{answer.error}</p>}
      {!device && <p class="muted">{t('planning.noTrafficDevice')}</p>}
      {device && chart.xs.length === 0 && !answer.loading && <p class="muted">{t('planning.noForecast')}</p>}
      {chart.xs.length > 0 && <UPlotChart testId="forecast" title={t('planning.forecastTitle')} xs={chart.xs} series={chart.series} unit={t('planning.unitVehicles5m')} />}
    </section>
  );
}
