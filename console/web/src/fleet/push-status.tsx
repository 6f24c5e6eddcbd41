/**
 * A push's outcome per device, pending → confirmed (or rejected, not sent, superseded), asked again every
 * second until nothing is pending: a device confirms by reporting the version in its next status, which
 * takes its round trip through the broker, ingest and the database.
 */
import { useEffect, useState } from 'preact/hooks';
import { formatDateTime, t } from '../i18n/i18n.js';
import { fetchPush, settled, type PushView } from './fleet-api.js';

const POLL_MS = 1000;
/** Stop asking after this long; a device that is offline confirms when it is back (the table shows it). */
const GIVE_UP_MS = 5 * 60_000;

export function PushStatus({ pushId, onSettled }: { pushId: string; onSettled: (push: PushView) => void }) {
  const [push, setPush] = useState<PushView | null>(null);
  useEffect(() => {
    let live = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const startedAt = Date.now();
    const poll = async () => {
      try {
        const next = await fetchPush(pushId);
        if (!live) return;
        setPush(next);
        if (settled(next)) return onSettled(next);
      } catch {
        // A failed poll is tried again: the next answer says where the push is.
      }
      if (live && Date.now() - startedAt < GIVE_UP_MS) timer = setTimeout(() => void poll(), POLL_MS);
    };
    void poll();
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [pushId]);

  if (!push) return <p class="muted">{t('fleet.push.sending')}</p>;
  return <PushSummary push={push} />;
}

export function PushSummary({ push }: { push: PushView }) {
  const count = (status: string) => push.devices.filter((d) => d.status === status).length;
  const other = push.devices.length - count('confirmed') - count('pending');
  return (
    <section class="push-status" data-testid={`push-${push.id}`} data-settled={settled(push)} aria-live="polite">
      <h3>
        {t('fleet.status.title', { id: push.id.slice(0, 8) })} <span class="muted small">{t('fleet.status.by', { by: push.pushedBy, at: formatDateTime(push.pushedAt) })}</span>
      </h3>
      <p class="small">{t('fleet.status.counts', { confirmed: count('confirmed'), pending: count('pending'), other })}</p>
      <ul class="push-devices">
        {push.devices.map((d) => (
          <li key={d.id} data-testid={`push-device-${d.id}`} data-status={d.status}>
            <span class={`badge badge-${d.status}`}>{t(`fleet.status.${d.status}`)}</span> {t('fleet.status.device', { device: d.id, version: d.version })}
            {d.confirmedAt && <span class="muted small"> {formatDateTime(d.confirmedAt, 'time')}</span>}
            {(d.rejectReason ?? d.publishError) && <div class="muted small">{d.rejectReason ?? d.publishError}</div>}
          </li>
        ))}
      </ul>
    </section>
  );
}
