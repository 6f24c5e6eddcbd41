/** The planners' dashboards: the filters over a grid of charts, each reading /api/v1/analytics/*. */
import { t } from '../i18n/i18n.js';
import { CoverageCard } from './coverage-card.js';
import { EnvironmentCards } from './environment-cards.js';
import { FilterBar } from './filter-bar.js';
import { ForecastCard } from './forecast-card.js';
import { HeatMapCard } from './heat-map.js';
import { HexChoroplethCard } from './hex-choropleth.js';
import { IncidentKpiCard } from './incident-kpis.js';
import { TrendCard } from './trend-card.js';

export function PlanningView() {
  return (
    <main class="planning" aria-label={t('planning.title')} data-testid="planning">
      <FilterBar />
      <div class="dash-grid">
        <TrendCard path="volume" testId="volume" titleKey="planning.volume" unit={t('planning.unitVehicles')} figures={[{ field: 'motorVehicles', labelKey: 'planning.motorVehicles', colour: '#4da3ff' }]} changeMetric="motorVehicles" />
        <TrendCard path="speed" testId="speed" titleKey="planning.speed" unit="km/h" figures={[{ field: 'speedKmhAvg', labelKey: 'planning.speedAvg', colour: '#4cc38a' }]} changeMetric="speedKmhAvg" />
        <CoverageCard />
        <HeatMapCard />
        <EnvironmentCards />
        <IncidentKpiCard />
        <ForecastCard />
        <HexChoroplethCard />
      </div>
    </main>
  );
}
