/**
 * The admins' fleet view: every device's health (state, last seen, model and config versions, outbox,
 * frame rate, inference time), filtered and sorted; choose devices or a district and push a config change,
 * then watch each device go from pending to confirmed. The table refreshes every 10 s.
 */
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from '../api/client.js';
import { t } from '../i18n/i18n.js';
import { useDistricts } from './districts.js';
import { fetchFleet, fetchPushes, type FleetPage, type FleetQuery, type FleetSort, type PushAnswer, type PushView } from './fleet-api.js';
import { FleetFilters } from './fleet-filters.js';
import { FleetTable } from './fleet-table.js';
import { PushForm } from './push-form.js';
import { PushStatus, PushSummary } from './push-status.js';
import './fleet.css';

const REFRESH_MS = 10_000;

export function FleetView() {
  const districts = useDistricts();
  const [query, setQuery] = useState<FleetQuery>({ district: '', state: '', kind: '', sort: 'id', order: 'asc' });
  const [page, setPage] = useState<FleetPage | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [activePushId, setActivePushId] = useState<string | null>(null);
  const [recent, setRecent] = useState<PushView[]>([]);
  const latest = useRef(0);

  const load = useCallback(async () => {
    // Only the newest request's answer is shown (a slow one must not overwrite a later filter's).
    const ticket = ++latest.current;
    try {
      const [next, pushes] = await Promise.all([fetchFleet(query), fetchPushes(10)]);
      if (ticket !== latest.current) return;
      setPage(next);
      setRecent(pushes.items);
      setError(null);
    } catch (err) {
      if (ticket === latest.current) setError(err instanceof ApiError ? err.message : String(err));
    }
  }, [query]);

  useEffect(() => {
    void load();
    const timer = setInterval(() => void load(), REFRESH_MS);
    return () => clearInterval(timer);
  }, [load]);

  const sortBy = (sort: FleetSort) => setQuery((q) => ({ ...q, sort, order: q.sort === sort && q.order === 'asc' ? 'desc' : 'asc' }));
  const toggle = (id: string, on: boolean) =>
    setSelected((current) => {
      const next = new Set(current);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });
  const pushed = (answer: PushAnswer) => {
    setActivePushId(answer.pushId);
    void load();
  };

  return (
    <div class="fleet planning" data-testid="fleet-view">
      <h1 class="sr-only">{t('fleet.title')}</h1>
      <FleetFilters
        query={query}
        districts={districts}
        onChange={(next) => setQuery((q) => ({ ...q, ...next }))}
        onRefresh={() => void load()}
        shown={page?.items.length ?? 0}
        total={page?.total ?? 0}
        downlink={page?.downlink}
      />
      {error && <p class="problem" role="alert">{t('fleet.loadFailed', { message: error })}</p>}
      <div class="fleet-layout">
        <section class="dash-card fleet-devices" aria-label={t('fleet.title')}>
          {page && <FleetTable items={page.items} sort={query.sort} order={query.order} onSort={sortBy} selected={selected} onToggle={toggle} />}
        </section>
        <aside class="fleet-side">
          <PushForm selected={[...selected]} districts={districts} disabled={page?.downlink !== 'connected'} onPushed={pushed} />
          <section class="dash-card" aria-labelledby="recent-pushes" data-testid="recent-pushes">
            <h2 id="recent-pushes">{t('fleet.status.recent')}</h2>
            {activePushId && <PushStatus key={activePushId} pushId={activePushId} onSettled={() => void load()} />}
            {recent.filter((p) => p.id !== activePushId).map((p) => <PushSummary key={p.id} push={p} />)}
            {!activePushId && recent.length === 0 && <p class="muted">{t('fleet.status.none')}</p>}
          </section>
        </aside>
      </div>
    </div>
  );
}
