/**
 * A measure over time (volume, speed, air, noise) in the chosen range, with the previous period overlaid
 * (dashed, shifted onto the current buckets), gaps where no device reported, limit lines where the measure
 * has some, and the CSV of the current period's query.
 */
import { useMemo } from 'preact/hooks';
import { locale, t, type MessageKey } from '../i18n/i18n.js';
import { analyticsUrl, useAnalytics } from './analytics-query.js';
import { ChangeFigure } from './change-figure.js';
import { CsvButton } from './csv-button.js';
import { bucketMs, comparePrevious, placeParams, previousRange, range, rangeParams, type Range } from './filters.js';
import { alignToBuckets, gapCount, type BucketRow } from './series.js';
import { UPlotChart, type ChartSeries, type LimitLine } from './uplot-chart.js';

export interface MeasureAnswer {
  meta: { from: string; to: string; bucket: string; source: string };
  data: BucketRow[];
}

export interface TrendFigure {
  field: string;
  labelKey: MessageKey;
  colour: string;
}

export interface TrendCardProps {
  /** Route under /api/v1/analytics/. */
  path: 'volume' | 'speed' | 'environment';
  testId: string;
  titleKey: MessageKey;
  unit: string;
  figures: TrendFigure[];
  limits?: LimitLine[];
  /** Overlay the previous period (for one-figure charts; several figures would double the lines). */
  overlay?: boolean;
  /** /analytics/change metric printed under the chart while comparing. */
  changeMetric?: string;
}

export const measureUrl = (path: string, r: Range, place: Record<string, string>) =>
  analyticsUrl(path, { ...rangeParams(r), bucket: r.bucket, ...place, limit: '10000' });

export function TrendCard({ path, testId, titleKey, unit, figures, limits, overlay = true, changeMetric }: TrendCardProps) {
  const r = range.value;
  const place = placeParams();
  const url = measureUrl(path, r, place);
  const previousUrl = overlay && comparePrevious.value ? measureUrl(path, previousRange(r), place) : null;
  const current = useAnalytics<MeasureAnswer>(url);
  const previous = useAnalytics<MeasureAnswer>(previousUrl);
  const step = bucketMs(r.bucket);
  const fields = figures.map((f) => f.field);

  const aligned = useMemo(() => {
    if (!current.data) return undefined;
    const { meta, data } = current.data;
    return alignToBuckets(data, Date.parse(meta.from), Date.parse(meta.to), step, fields);
  }, [current.data, step, fields.join()]);
  const alignedPrevious = useMemo(() => {
    if (!previous.data || !previousUrl) return undefined;
    const { meta, data } = previous.data;
    return alignToBuckets(data, Date.parse(meta.from), Date.parse(meta.to), step, fields);
  }, [previous.data, previousUrl, step, fields.join()]);

  const series = useMemo<ChartSeries[]>(() => {
    if (!aligned) return [];
    const out: ChartSeries[] = figures.map((f) => ({ id: f.field, label: t(f.labelKey), values: aligned.ys[f.field]!, colour: f.colour }));
    if (alignedPrevious && overlay) {
      for (const f of figures) {
        // Point i of the previous period lies under point i of the current one (ranges of equal length).
        const values = aligned.xs.map((_, i) => alignedPrevious.ys[f.field]?.[i] ?? null);
        out.push({ id: `${f.field}Previous`, label: t('planning.previousPeriod', { figure: t(f.labelKey) }), values, colour: f.colour, dashed: true });
      }
    }
    return out;
  }, [aligned, alignedPrevious, overlay, locale.value]);

  const gaps = aligned ? gapCount(aligned.ys[fields[0]!]!) : 0;
  return (
    <section class="dash-card" aria-labelledby={`${testId}-title`} data-testid={`${testId}-card`} data-loading={current.loading ? 'true' : 'false'}>
      <header class="dash-card-head">
        <h2 id={`${testId}-title`}>{t(titleKey)}</h2>
        <CsvButton url={url} name={path} testId={`${testId}-csv`} />
      </header>
      {current.error && <p class="problem" role="alert">{current.error}</p>}
      {aligned && <UPlotChart testId={testId} title={t(titleKey)} xs={aligned.xs} series={series} unit={unit} limits={limits} />}
      {changeMetric && comparePrevious.value && <ChangeFigure metric={changeMetric} range={r} place={place} testId={`${testId}-change`} />}
      {aligned && (
        <p class="muted small" data-testid={`${testId}-gaps`} data-gaps={gaps}>
          {t('planning.gaps', { gaps, buckets: aligned.xs.length })} · {t('planning.source', { source: current.data?.meta.source ?? '' })}
        </p>
      )}
    </section>
  );
}
