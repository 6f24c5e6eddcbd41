/** The queue: filters (status, severity, type, district, last 1 h/6 h/24 h), sort, and the live list. */
import { useEffect } from 'preact/hooks';
import type { IncidentView } from '../api/types.js';
import { formatDateTime, formatDuration, locale, t } from '../i18n/i18n.js';
import { incidents, selectedIncidentId } from '../live/store.js';
import { ackTimer } from './ack-timer.js';
import { cursorId, deskSettings, loadResolved, nowMs, queueFilter, queueSort, visibleQueue } from './desk-state.js';
import { districtName } from './district-names.js';
import { filterChoices, QUEUE_SORTS, SEVERITY_ORDER, STATUS_ORDER, WINDOW_FILTERS, type QueueFilter, type QueueSort } from './queue.js';
import { typeLabel } from './labels.js';

function setFilter<K extends keyof QueueFilter>(key: K, value: QueueFilter[K]): void {
  queueFilter.value = { ...queueFilter.value, [key]: value };
}

function Filters() {
  const filter = queueFilter.value;
  const lang = locale.value;
  const choices = filterChoices(incidents.value.values(), filter);
  const needsResolved = filter.status === 'resolved' || filter.status === 'all';
  useEffect(() => {
    if (needsResolved) loadResolved().catch((error: unknown) => console.error('desk: resolved incidents not loaded', error));
  }, [needsResolved]);
  return (
    <form class="desk-filters" aria-label={t('desk.filters')} onSubmit={(e) => e.preventDefault()}>
      <label>
        {t('desk.filter.status')}
        <select data-testid="filter-status" value={filter.status} onChange={(e) => setFilter('status', e.currentTarget.value as QueueFilter['status'])}>
          <option value="active">{t('desk.filter.active')}</option>
          {STATUS_ORDER.map((status) => <option value={status}>{t(`status.${status}`)}</option>)}
          <option value="all">{t('desk.filter.all')}</option>
        </select>
      </label>
      <label>
        {t('desk.filter.severity')}
        <select data-testid="filter-severity" value={filter.severity} onChange={(e) => setFilter('severity', e.currentTarget.value as QueueFilter['severity'])}>
          <option value="all">{t('desk.filter.all')}</option>
          {SEVERITY_ORDER.map((severity) => <option value={severity}>{t('desk.filter.atLeast', { severity: t(`severity.${severity}`) })}</option>)}
        </select>
      </label>
      <label>
        {t('desk.filter.type')}
        <select data-testid="filter-type" value={filter.type} onChange={(e) => setFilter('type', e.currentTarget.value)}>
          <option value="all">{t('desk.filter.all')}</option>
          {choices.types.map((type) => <option value={type}>{typeLabel(type)}</option>)}
        </select>
      </label>
      <label>
        {t('desk.filter.district')}
        <select data-testid="filter-district" value={filter.district} onChange={(e) => setFilter('district', e.currentTarget.value)}>
          <option value="all">{t('desk.filter.all')}</option>
          {choices.districts.map((code) => <option value={code}>{districtName(code, lang)}</option>)}
        </select>
      </label>
      <label>
        {t('desk.filter.window')}
        <select data-testid="filter-window" value={filter.window} onChange={(e) => setFilter('window', e.currentTarget.value as QueueFilter['window'])}>
          {WINDOW_FILTERS.map((window) => <option value={window}>{t(`desk.window.${window}`)}</option>)}
        </select>
      </label>
      <label>
        {t('desk.sort')}
        <select data-testid="queue-sort" value={queueSort.value} onChange={(e) => (queueSort.value = e.currentTarget.value as QueueSort)}>
          {QUEUE_SORTS.map((sort) => <option value={sort}>{t(`desk.sort.${sort}`)}</option>)}
        </select>
      </label>
    </form>
  );
}

function QueueRow({ incident }: { incident: IncidentView }) {
  const timer = ackTimer(incident, deskSettings.value.ackThresholds, nowMs.value);
  const selected = selectedIncidentId.value === incident.id;
  const lang = locale.value;
  const district = districtName(incident.district, lang);
  return (
    <li>
      <button
        type="button"
        class={`queue-row severity-${incident.severity} timer-${timer.level}${cursorId.value === incident.id ? ' cursor' : ''}`}
        data-incident-id={incident.id}
        data-device-id={incident.deviceId}
        data-testid="queue-row"
        aria-current={selected ? 'true' : undefined}
        onClick={() => {
          cursorId.value = incident.id;
          selectedIncidentId.value = incident.id;
        }}
        onFocus={() => (cursorId.value = incident.id)}
      >
        <span class={`badge severity severity-${incident.severity}`}>{t(`severity.${incident.severity}`)}</span>
        <span class="queue-type">{typeLabel(incident.type)}</span>
        <span class="queue-where">{district ?? t('desk.noDistrict')}</span>
        <span class={`badge status status-${incident.status}`} data-testid="row-status">{t(`status.${incident.status}`)}</span>
        <span class="queue-time">
          <time dateTime={incident.openedAt}>{formatDateTime(incident.openedAt, 'time')}</time>
        </span>
        {timer.level !== 'none' && (
          <span class={`badge timer timer-${timer.level}`} data-testid="ack-timer" data-level={timer.level}>
            {t(`desk.timer.${timer.level}`, { waited: formatDuration(timer.waitedS) })}
          </span>
        )}
      </button>
    </li>
  );
}

export function QueuePanel() {
  const rows = visibleQueue.value;
  return (
    <section class="desk-queue" aria-labelledby="desk-queue-title">
      <h2 id="desk-queue-title">
        {t('desk.queue')} <span class="muted">({rows.length})</span>
      </h2>
      <Filters />
      <p class="muted desk-keys">{t('desk.keysHint')}</p>
      {rows.length === 0 ? (
        <p class="muted" data-testid="queue-empty">{t('desk.queueEmpty')}</p>
      ) : (
        <ol class="queue-list" data-testid="queue">
          {rows.map((incident) => <QueueRow key={incident.id} incident={incident} />)}
        </ol>
      )}
    </section>
  );
}
