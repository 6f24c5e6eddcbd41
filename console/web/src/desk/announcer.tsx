/**
 * Says new incidents out loud to screen readers (a polite live region): the sound and the colours are not
 * everyone's alert. Only incidents opened in the last two minutes count, so the first load, a reconnect's
 * catch-up or a "resolved" filter does not read out the whole backlog.
 */
import { effect } from '@preact/signals';
import { useEffect, useState } from 'preact/hooks';
import { t } from '../i18n/i18n.js';
import { incidents } from '../live/store.js';
import { typeLabel } from './labels.js';

const RECENT_MS = 120_000;

export function Announcer() {
  const [text, setText] = useState('');
  useEffect(() => {
    const known = new Set<string>();
    return effect(() => {
      const fresh = [];
      for (const incident of incidents.value.values()) {
        if (known.has(incident.id)) continue;
        known.add(incident.id);
        if (incident.status === 'open' && Date.now() - Date.parse(incident.openedAt) < RECENT_MS) fresh.push(incident);
      }
      if (fresh.length > 0) setText(fresh.map((incident) => t('desk.announce.new', { severity: t(`severity.${incident.severity}`), type: typeLabel(incident.type) })).join(' '));
    });
  }, []);
  return (
    <p class="sr-only" aria-live="polite" data-testid="announcer">
      {text}
    </p>
  );
}
