/**
 * Incident KPIs by type: time to acknowledge and to resolve (GET /analytics/incidents/kpis) and how
 * incidents ended, with the false-alarm share (GET /analytics/incidents/outcomes). Both figures are the
 * API's; the table only lays them side by side.
 */
import { formatDuration, formatNumber, t } from '../i18n/i18n.js';
import { analyticsUrl, useAnalytics } from './analytics-query.js';
import { CsvButton } from './csv-button.js';
import { placeParams, range, rangeParams } from './filters.js';

interface Step {
  count: number;
  p50S: number | null;
  p90S: number | null;
}
interface KpiAnswer {
  data: Array<{ type: string | null; incidents: number; acknowledge: Step; resolve: Step }>;
}
interface OutcomeAnswer {
  data: Array<{ type: string | null; resolved: number; falseAlarm: number; falseAlarmShare: number | null }>;
}

const seconds = (value: number | null) => (value === null ? '–' : formatDuration(value));

export function IncidentKpiCard() {
  const r = range.value;
  const params = { ...rangeParams(r), ...placeParams(), groupBy: 'type' };
  const kpiUrl = analyticsUrl('incidents/kpis', params);
  const outcomeUrl = analyticsUrl('incidents/outcomes', params);
  const kpis = useAnalytics<KpiAnswer>(kpiUrl);
  const outcomes = useAnalytics<OutcomeAnswer>(outcomeUrl);
  const types = [...new Set([...(kpis.data?.data ?? []), ...(outcomes.data?.data ?? [])].map((row) => row.type ?? ''))].sort();
  return (
    <section class="dash-card" aria-labelledby="kpi-title" data-testid="kpi-card">
      <header class="dash-card-head">
        <h2 id="kpi-title">{t('planning.kpis')}</h2>
        <CsvButton url={kpiUrl} name="operator-kpis" testId="kpi-csv" />
        <CsvButton url={outcomeUrl} name="incident-outcomes" testId="outcome-csv" />
      </header>
      {(kpis.error ?? outcomes.error) && <p class="problem" role="alert">{kpis.error ?? outcomes.error}</p>}
      {types.length === 0 && !kpis.loading ? (
        <p class="muted">{t('planning.noIncidents')}</p>
      ) : (
        <table class="kpi-table" data-testid="kpi-table">
          <thead>
            <tr>
              <th scope="col">{t('planning.type')}</th>
              <th scope="col">{t('planning.incidents')}</th>
              <th scope="col">{t('planning.ackP50')}</th>
              <th scope="col">{t('planning.resolveP50')}</th>
              <th scope="col">{t('planning.falseAlarmShare')}</th>
            </tr>
          </thead>
          <tbody>
            {types.map((type) => {
              const kpi = kpis.data?.data.find((row) => (row.type ?? '') === type);
              const outcome = outcomes.data?.data.find((row) => (row.type ?? '') === type);
              const share = outcome?.falseAlarmShare ?? null;
              return (
                <tr key={type} data-type={type} data-false-alarm-share={share ?? ''}>
                  <th scope="row">{type}</th>
                  <td>{formatNumber(kpi?.incidents ?? 0)}</td>
                  <td>{seconds(kpi?.acknowledge.p50S ?? null)}</td>
                  <td>{seconds(kpi?.resolve.p50S ?? null)}</td>
                  <td>
                    {share === null ? '–' : (
                      <span class="share">
                        <span class="share-bar" style={{ width: `${Math.round(share * 100)}%` }} aria-hidden="true" />
                        {t('planning.share', { pct: Math.round(share * 1000) / 10, n: outcome?.falseAlarm ?? 0 })}
                      </span>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </section>
  );
}
