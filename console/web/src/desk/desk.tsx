/**
 * The incident desk: the alert sound's controls, the live queue, and the open incident. Keys (not while
 * typing): j/k or arrows move in the queue, Enter opens, a acknowledges the open incident, Escape closes.
 */
import { useEffect } from 'preact/hooks';
import { t } from '../i18n/i18n.js';
import { selectedIncidentId, session } from '../live/store.js';
import { canAct } from './action-rules.js';
import { Announcer } from './announcer.js';
import { startAlertSound } from './alert-sound.js';
import { cursorId, loadDeskSettings, loadUnits, startClock, visibleQueue } from './desk-state.js';
import { loadDistrictNames } from './district-names.js';
import { IncidentDetailView } from './incident-detail.js';
import { deskKeyCommand, moveInQueue } from './keyboard.js';
import { QueuePanel } from './queue-panel.js';
import { SoundControls } from './sound-controls.js';
import './desk.css';

const logFailure = (what: string) => (error: unknown) => console.error(`desk: ${what}`, error);

function focusRow(id: string | null): void {
  if (id === null) return;
  const row = document.querySelector<HTMLElement>(`.queue-row[data-incident-id="${CSS.escape(id)}"]`);
  row?.focus();
  row?.scrollIntoView({ block: 'nearest' });
}

function onKey(event: KeyboardEvent): void {
  const command = deskKeyCommand(event);
  if (command === null) return;
  switch (command) {
    case 'next':
    case 'previous': {
      const next = moveInQueue(visibleQueue.value.map((incident) => incident.id), cursorId.value, command === 'next' ? 1 : -1);
      cursorId.value = next;
      focusRow(next);
      break;
    }
    case 'open':
      if (cursorId.value === null) return;
      selectedIncidentId.value = cursorId.value;
      break;
    case 'acknowledge':
      // The open incident only: the operator acknowledges what is in front of them.
      document.querySelector<HTMLButtonElement>('[data-testid="action-acknowledge"]:not(:disabled)')?.click();
      break;
    case 'close':
      if (selectedIncidentId.value === null) return;
      cursorId.value = selectedIncidentId.value;
      selectedIncidentId.value = null;
      requestAnimationFrame(() => focusRow(cursorId.value));
      break;
  }
  event.preventDefault();
}

export function Desk() {
  const role = session.value?.role ?? 'viewer';
  const mayAct = canAct(role);
  const selected = selectedIncidentId.value;

  useEffect(() => startClock(), []);
  // The sound calls for an acknowledgement: only those who can give one hear it.
  useEffect(() => (mayAct ? startAlertSound() : undefined), [mayAct]);
  useEffect(() => {
    loadDeskSettings().catch(logFailure('settings not loaded'));
    loadUnits().catch(logFailure('units not loaded'));
    loadDistrictNames().catch(logFailure('district names not loaded'));
  }, []);
  useEffect(() => {
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);

  return (
    <div class="desk" data-testid="desk" data-role={role}>
      <div class="desk-bar">
        {mayAct && <SoundControls />}
        {!mayAct && <p class="muted" data-testid="read-only">{t('desk.readOnly')}</p>}
      </div>
      <Announcer />
      <QueuePanel />
      {selected !== null && <IncidentDetailView key={selected} id={selected} mayAct={mayAct} />}
    </div>
  );
}
