/**
 * The open incident: what it is and where, its time-to-acknowledge, who has seen it, the actions (for
 * those who may act), the timeline, the triggering events, the device and its health, the snapshot.
 */
import { Fragment } from 'preact';
import type { IncidentDetail as Detail, IncidentView } from '../api/types.js';
import { formatDateTime, formatDuration, formatNumber, locale, t } from '../i18n/i18n.js';
import { incidents, selectedIncidentId } from '../live/store.js';
import { ackTimer } from './ack-timer.js';
import { ActionsPanel } from './actions-panel.js';
import { deskSettings, nowMs } from './desk-state.js';
import { districtName } from './district-names.js';
import { classLabel, healthLabel, outcomeLabel, typeLabel } from './labels.js';
import { Timeline } from './timeline-view.js';
import { useIncidentDetail } from './use-incident-detail.js';

/** Who has opened it: the server's list, and anyone whose view arrived live since. */
function seenBy(incident: IncidentView, detail: Detail | null, viewers: readonly string[]): string[] {
  return [...new Set([...(detail?.seenBy ?? []), ...(incident.seenBy ?? []), ...viewers])].sort();
}

function Facts({ incident }: { incident: IncidentView }) {
  const lang = locale.value;
  const timer = ackTimer(incident, deskSettings.value.ackThresholds, nowMs.value);
  return (
    <dl class="facts">
      <dt>{t('desk.detail.severity')}</dt>
      <dd><span class={`badge severity severity-${incident.severity}`} data-testid="detail-severity">{t(`severity.${incident.severity}`)}</span></dd>
      <dt>{t('desk.detail.status')}</dt>
      <dd data-testid="detail-status">{t(`status.${incident.status}`)}{incident.outcome ? ` · ${outcomeLabel(incident.outcome)}` : ''}</dd>
      <dt>{t('desk.detail.district')}</dt>
      <dd>{districtName(incident.district, lang) ?? t('desk.noDistrict')}</dd>
      <dt>{t('desk.detail.opened')}</dt>
      <dd><time dateTime={incident.openedAt}>{formatDateTime(incident.openedAt)}</time></dd>
      <dt>{t('desk.detail.events')}</dt>
      <dd>{formatNumber(incident.eventCount)}</dd>
      {timer.level !== 'none' && (
        <>
          <dt>{t('desk.detail.waiting')}</dt>
          <dd><span class={`badge timer timer-${timer.level}`} data-testid="detail-timer" data-level={timer.level}>{t(`desk.timer.${timer.level}`, { waited: formatDuration(timer.waitedS) })}</span></dd>
        </>
      )}
      <dt>{t('desk.detail.id')}</dt>
      <dd class="incident-id" data-testid="selected-incident">{incident.id}</dd>
      <dt>{t('desk.detail.version')}</dt>
      <dd data-testid="detail-version">{incident.version}</dd>
    </dl>
  );
}

function TriggeringEvents({ detail }: { detail: Detail }) {
  if (detail.events.length === 0) return <p class="muted">{t('desk.events.none')}</p>;
  return (
    <table class="events" data-testid="detail-events">
      <caption class="sr-only">{t('desk.events.title')}</caption>
      <thead>
        <tr><th scope="col">{t('desk.events.time')}</th><th scope="col">{t('desk.events.type')}</th><th scope="col">{t('desk.events.severity')}</th><th scope="col">{t('desk.events.class')}</th><th scope="col">{t('desk.events.confidence')}</th></tr>
      </thead>
      <tbody>
        {detail.events.map((event) => (
          <tr key={event.id}>
            <td><time dateTime={event.time}>{formatDateTime(event.time, 'time')}</time></td>
            <td>{typeLabel(event.type)}</td>
            <td>{t(`severity.${event.severity}`)}</td>
            <td>{event.class ? classLabel(event.class) : '—'}</td>
            <td>{typeof event.confidence === 'number' ? `${formatNumber(Math.round(event.confidence * 100))} %` : '—'}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** A snapshot arrives as base64 JPEG (or, from a newer server, a URL). */
function snapshotSource(snapshot: string): string {
  return snapshot.startsWith('/') || snapshot.startsWith('http') || snapshot.startsWith('data:') ? snapshot : `data:image/jpeg;base64,${snapshot}`;
}

function Snapshot({ detail }: { detail: Detail }) {
  const withImage = detail.events.find((event) => typeof event.snapshot === 'string' && event.snapshot.length > 0);
  if (withImage?.snapshot) {
    return (
      <figure class="snapshot" data-testid="detail-snapshot">
        <img src={snapshotSource(withImage.snapshot)} alt={t('desk.snapshot.alt', { time: formatDateTime(withImage.time, 'time') })} />
        <figcaption class="muted">{t('desk.snapshot.caption')}</figcaption>
      </figure>
    );
  }
  // Today ingest records that a snapshot came, not the image: say so rather than show nothing.
  const sent = detail.events.filter((event) => event.hasSnapshot === true);
  if (sent.length === 0) return <p class="muted" data-testid="detail-snapshot">{t('desk.snapshot.none')}</p>;
  return <p class="muted" data-testid="detail-snapshot">{t('desk.snapshot.notStored', { count: sent.length })}</p>;
}

function DeviceHealth({ detail }: { detail: Detail }) {
  const device = detail.device;
  if (!device) return <p class="muted">{t('desk.device.unknown', { id: detail.deviceId })}</p>;
  const health = Object.entries(device.health ?? {}).filter(([, value]) => typeof value === 'number' || typeof value === 'string' || typeof value === 'boolean');
  return (
    <div data-testid="detail-device">
      <p>
        <strong>{device.name ?? device.id}</strong> <span class="muted">({device.id}, {device.kind})</span>{' '}
        <span class={`badge device-${device.state}`}>{t(`deviceState.${device.state}`)}</span>
      </p>
      {device.lastSeenAt && <p class="muted">{t('desk.device.lastSeen', { time: formatDateTime(device.lastSeenAt) })}</p>}
      {health.length > 0 ? (
        <dl class="facts health">
          {health.map(([name, value]) => (
            <Fragment key={name}>
              <dt>{healthLabel(name)}</dt>
              <dd>{name === 'time' && typeof value === 'string' ? formatDateTime(value) : typeof value === 'number' ? formatNumber(value) : String(value)}</dd>
            </Fragment>
          ))}
        </dl>
      ) : (
        <p class="muted">{t('desk.device.noHealth')}</p>
      )}
    </div>
  );
}

export function IncidentDetailView({ id, mayAct }: { id: string; mayAct: boolean }) {
  const { detail, timeline, error, refresh } = useIncidentDetail(id);
  // The store's copy is the freshest (live messages, action answers); the GET fills in the rest.
  const incident = incidents.value.get(id) ?? detail;
  const viewers = timeline.filter((entry) => entry.action === 'viewed' && entry.actorKind === 'user').map((entry) => entry.actor);
  return (
    <article class="desk-detail" aria-labelledby="desk-detail-title" data-testid="incident-detail" data-incident-id={id}>
      <header class="detail-head">
        <h2 id="desk-detail-title">{incident ? typeLabel(incident.type) : t('desk.detail.loading')}</h2>
        <button type="button" onClick={() => (selectedIncidentId.value = null)} aria-keyshortcuts="Escape">
          {t('desk.detail.close')}
        </button>
      </header>
      {error && <p class="problem" role="alert">{t('desk.detail.error', { message: error })}</p>}
      {incident && (
        <>
          <Facts incident={incident} />
          <p class="seen-by" data-testid="seen-by">
            {t('desk.seenBy', { names: seenBy(incident, detail, viewers).join(', ') || '—' })}
          </p>
          {mayAct && <ActionsPanel incident={incident} onConflict={refresh} />}
        </>
      )}
      <section aria-labelledby="desk-timeline-title">
        <h3 id="desk-timeline-title">{t('desk.timeline.title')}</h3>
        <Timeline entries={timeline} />
      </section>
      {detail && (
        <>
          <section aria-labelledby="desk-events-title">
            <h3 id="desk-events-title">{t('desk.events.title')}</h3>
            <TriggeringEvents detail={detail} />
            <Snapshot detail={detail} />
          </section>
          <section aria-labelledby="desk-device-title">
            <h3 id="desk-device-title">{t('desk.device.title')}</h3>
            <DeviceHealth detail={detail} />
          </section>
        </>
      )}
    </article>
  );
}
