/** The timeline as a list: when, who, what (opened, each event, each action, each note, each view). */
import { formatDateTime, t, type MessageKey } from '../i18n/i18n.js';
import { outcomeLabel } from './labels.js';
import { entryKey, type TimelineEntry } from './timeline.js';

const KNOWN_ACTIONS = new Set(['opened', 'event', 'acknowledged', 'dispatched', 'resolved', 'reopened', 'note', 'escalated', 'viewed', 'notified']);

/** The few details worth a word: a dispatched unit, a new severity, an outcome. */
function detailText(entry: TimelineEntry): string | null {
  const details = entry.details ?? {};
  const parts: string[] = [];
  const unit = details['unitName'] ?? details['unitId'];
  if (typeof unit === 'string') parts.push(t('desk.timeline.unit', { unit }));
  const to = details['to'] ?? details['severity'];
  if (entry.action === 'escalated' && typeof to === 'string') parts.push(t('desk.timeline.severityTo', { severity: t(`severity.${to}` as MessageKey) }));
  if (typeof details['outcome'] === 'string') parts.push(outcomeLabel(details['outcome']));
  if (entry.action === 'notified' && typeof details['host'] === 'string') {
    const tries = { host: details['host'], attempt: Number(details['attempt'] ?? 1), attempts: Number(details['attempts'] ?? 1) };
    parts.push(details['ok'] === true ? t('desk.timeline.webhookOk', tries) : t('desk.timeline.webhookFailed', { ...tries, status: String(details['status'] ?? '—') }));
  }
  return parts.length > 0 ? parts.join(' · ') : null;
}

export function Timeline({ entries }: { entries: readonly TimelineEntry[] }) {
  if (entries.length === 0) return <p class="muted">{t('desk.timeline.empty')}</p>;
  return (
    <ol class="timeline" data-testid="timeline">
      {entries.map((entry) => {
        const what = KNOWN_ACTIONS.has(entry.action) ? t(`desk.action.${entry.action}` as MessageKey) : entry.action;
        const who = entry.actorKind === 'system' ? t('desk.timeline.system', { id: entry.actor }) : entry.actor;
        const extra = detailText(entry);
        return (
          <li key={entryKey(entry)} class={`timeline-${entry.action}`} data-log-action={entry.action} data-actor={entry.actor}>
            <time dateTime={entry.at}>{formatDateTime(entry.at, 'time')}</time> <strong>{what}</strong> <span class="muted">{t('desk.timeline.by', { who })}</span>
            {extra && <span> · {extra}</span>}
            {entry.note && <blockquote class="note">{entry.note}</blockquote>}
          </li>
        );
      })}
    </ol>
  );
}
