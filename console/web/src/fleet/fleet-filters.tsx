/** The fleet table's filters: district, state, kind; and the downlink's state (can this console push now?). */
import { locale, t, type MessageKey } from '../i18n/i18n.js';
import { districtLabel, type DistrictName } from './districts.js';
import type { DownlinkState, FleetQuery } from './fleet-api.js';

const KINDS = ['camera', 'loop_detector', 'air_quality', 'noise', 'multi'] as const;

export interface FleetFiltersProps {
  query: FleetQuery;
  districts: readonly DistrictName[];
  onChange: (next: Partial<FleetQuery>) => void;
  onRefresh: () => void;
  shown: number;
  total: number;
  downlink: DownlinkState | undefined;
}

export function FleetFilters({ query, districts, onChange, onRefresh, shown, total, downlink }: FleetFiltersProps) {
  const zh = locale.value === 'zh-HK';
  return (
    <form class="filter-bar" aria-label={t('fleet.filters')} onSubmit={(e) => e.preventDefault()} data-testid="fleet-filters">
      <label class="inline">
        <span>{t('fleet.district')}</span>
        <select value={query.district} onChange={(e) => onChange({ district: e.currentTarget.value })} data-testid="fleet-district">
          <option value="">{t('fleet.allDistricts')}</option>
          {districts.map((d) => (
            <option key={d.code} value={d.code}>{districtLabel(d, zh)}</option>
          ))}
        </select>
      </label>
      <label class="inline">
        <span>{t('fleet.state')}</span>
        <select value={query.state} onChange={(e) => onChange({ state: e.currentTarget.value as FleetQuery['state'] })} data-testid="fleet-state">
          <option value="">{t('fleet.allStates')}</option>
          <option value="online">{t('fleet.state.online')}</option>
          <option value="offline">{t('fleet.state.offline')}</option>
        </select>
      </label>
      <label class="inline">
        <span>{t('fleet.kind')}</span>
        <select value={query.kind} onChange={(e) => onChange({ kind: e.currentTarget.value })} data-testid="fleet-kind">
          <option value="">{t('fleet.allKinds')}</option>
          {KINDS.map((k) => (
            <option key={k} value={k}>{t(`fleet.kind.${k}` as MessageKey)}</option>
          ))}
        </select>
      </label>
      <button type="button" onClick={onRefresh} data-testid="fleet-refresh">{t('fleet.refresh')}</button>
      <span class="muted" role="status" data-testid="fleet-count">{t('fleet.count', { shown, total })}</span>
      {downlink && (
        <span class={`downlink downlink-${downlink}`} data-testid="fleet-downlink" data-state={downlink}>
          <span class={`dot ${downlink === 'connected' ? 'dot-online' : 'dot-offline'}`} aria-hidden="true" />
          {t(`fleet.downlink.${downlink}`)}
        </span>
      )}
    </form>
  );
}
