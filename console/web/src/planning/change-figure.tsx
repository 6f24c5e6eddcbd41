/**
 * The period-over-period figure under a trend: the range's total (or mean) against the equally long period
 * before, from GET /analytics/change?compare=period (the API sums and divides; the browser only prints).
 */
import { formatNumber, t } from '../i18n/i18n.js';
import { analyticsUrl, useAnalytics } from './analytics-query.js';
import type { Range } from './filters.js';
import { rangeParams } from './filters.js';

interface ChangeAnswer {
  data: Array<{ current: number | null; previous: number | null; change: number | null; changePct: number | null }>;
}

const shown = (value: number | null | undefined, digits = 1) => (value === null || value === undefined ? '–' : formatNumber(Math.round(value * 10 ** digits) / 10 ** digits));

export function ChangeFigure({ metric, range, place, testId }: { metric: string; range: Range; place: Record<string, string>; testId: string }) {
  const url = analyticsUrl('change', { ...rangeParams(range), ...place, metric, compare: 'period' });
  const answer = useAnalytics<ChangeAnswer>(url);
  const row = answer.data?.data[0];
  if (!answer.data) return null;
  const pct = row?.changePct;
  return (
    <p class="small" data-testid={testId} data-current={row?.current ?? ''} data-previous={row?.previous ?? ''} data-change-pct={pct ?? ''}>
      {t('planning.change', {
        current: shown(row?.current),
        previous: shown(row?.previous),
        pct: pct === null || pct === undefined ? '–' : `${pct > 0 ? '+' : ''}${shown(pct)}`,
      })}
    </p>
  );
}
