/** Data completeness: devices that reported in each bucket against the devices registered (GET /analytics/coverage). */
import { useMemo } from 'preact/hooks';
import { locale, t } from '../i18n/i18n.js';
import { analyticsUrl, useAnalytics } from './analytics-query.js';
import { CsvButton } from './csv-button.js';
import { placeParams, range, rangeParams } from './filters.js';
import { UPlotChart } from './uplot-chart.js';

interface CoverageAnswer {
  meta: { from: string; to: string; bucket: string; expected: number };
  data: Array<{ bucket: string; reporting: number; expected: number; share: number | null }>;
}

export function CoverageCard() {
  const r = range.value;
  const url = analyticsUrl('coverage', { ...rangeParams(r), bucket: r.bucket, ...placeParams() });
  const answer = useAnalytics<CoverageAnswer>(url);
  const chart = useMemo(() => {
    if (!answer.data) return undefined;
    const rows = answer.data.data;
    return {
      xs: rows.map((row) => Date.parse(row.bucket) / 1000),
      series: [
        { id: 'reporting', label: t('planning.reporting'), values: rows.map((row) => row.reporting), colour: '#4cc38a' },
        { id: 'expected', label: t('planning.expected'), values: rows.map((row) => row.expected), colour: '#a9b6c3', dashed: true },
      ],
    };
  }, [answer.data, locale.value]);
  const silent = answer.data?.data.filter((row) => row.reporting === 0).length ?? 0;
  return (
    <section class="dash-card" aria-labelledby="coverage-title" data-testid="coverage-card">
      <header class="dash-card-head">
        <h2 id="coverage-title">{t('planning.coverage')}</h2>
        <CsvButton url={url} name="coverage" testId="coverage-csv" />
      </header>
      {answer.error && <p class="problem" role="alert">{answer.error}</p>}
      {chart && <UPlotChart testId="coverage" title={t('planning.coverage')} xs={chart.xs} series={chart.series} unit={t('planning.unitDevices')} height={160} />}
      {answer.data && (
        <p class="muted small" data-testid="coverage-summary" data-silent={silent} data-expected={answer.data.meta.expected}>
          {t('planning.coverageSummary', { expected: answer.data.meta.expected, silent, buckets: answer.data.data.length })}
        </p>
      )}
    </section>
  );
}
