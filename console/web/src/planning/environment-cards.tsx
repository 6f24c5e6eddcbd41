/**
 * Air quality (PM2.5, NO2) and noise over time with Hong Kong's AQO lines. The limits and how often they
 * were exceeded come from GET /analytics/air-quality/exceedances (the analytics package's AQO table), not
 * from numbers written here.
 */
import { useMemo } from 'preact/hooks';
import { locale, t } from '../i18n/i18n.js';
import { analyticsUrl, useAnalytics } from './analytics-query.js';
import { placeParams, range, rangeParams } from './filters.js';
import { TrendCard } from './trend-card.js';
import type { LimitLine } from './uplot-chart.js';

interface ExceedanceAnswer {
  data: Array<{ pollutant: 'pm25' | 'no2' | 'noise'; averaging: '1h' | '24h' | 'annual'; limit: number; unit: string; exceedances: number }>;
}

const LIMIT_COLOURS = { pm25: '#e3b341', no2: '#f0883e', noise: '#ff7b72' } as const;
const NAMES = { pm25: 'PM2.5', no2: 'NO₂', noise: '' } as const;

export function EnvironmentCards() {
  const r = range.value;
  const url = analyticsUrl('air-quality/exceedances', { ...rangeParams(r), ...placeParams(), groupBy: 'none' });
  const answer = useAnalytics<ExceedanceAnswer>(url);
  // The short-term limits are the ones an hourly or daily line can be read against.
  const { air, noise } = useMemo(() => {
  const lines = (answer.data?.data ?? []).filter((row) => row.averaging !== 'annual');
  const lineOf = (row: ExceedanceAnswer['data'][number]): LimitLine => ({
    label: t(row.pollutant === 'noise' ? 'planning.noiseLimit' : 'planning.aqoLimit', { name: NAMES[row.pollutant], averaging: row.averaging, limit: row.limit, unit: row.unit, times: row.exceedances }),
    value: row.limit,
    colour: LIMIT_COLOURS[row.pollutant],
  });
  const air = lines.filter((row) => row.pollutant !== 'noise').map(lineOf);
  const noise = lines.filter((row) => row.pollutant === 'noise').map(lineOf);
  return { air, noise };
  }, [answer.data, locale.value]);
  return (
    <>
      <TrendCard
        path="environment"
        testId="air"
        titleKey="planning.air"
        unit="µg/m³"
        overlay={false}
        figures={[
          { field: 'pm25Avg', labelKey: 'planning.pm25', colour: LIMIT_COLOURS.pm25 },
          { field: 'no2Avg', labelKey: 'planning.no2', colour: '#58a6ff' },
        ]}
        limits={air}
      />
      <TrendCard path="environment" testId="noise" titleKey="planning.noise" unit="dBA" figures={[{ field: 'noiseDbaAvg', labelKey: 'planning.noiseAvg', colour: '#39c5bb' }]} limits={noise} />
    </>
  );
}
