/**
 * Acknowledge, dispatch a unit, note, escalate, resolve with an outcome. A form remembers the version of
 * the incident when the operator opened it, and sends that one: if someone else changed the incident
 * meanwhile, the server refuses (409) and the panel says so, with the incident as it now is.
 */
import { useState } from 'preact/hooks';
import { OUTCOMES, SEVERITIES, type IncidentView, type Outcome, type Severity } from '../api/types.js';
import { t } from '../i18n/i18n.js';
import { availableActions, type DeskActionKind } from './action-rules.js';
import { loadUnits, units } from './desk-state.js';
import { runAction, type ActionResult, type DeskAction } from './incident-actions.js';
import { outcomeLabel } from './labels.js';

type Feedback = { kind: 'done'; text: string } | { kind: 'conflict'; seenVersion: number; current: IncidentView | undefined } | { kind: 'error'; text: string };

type FormKind = Exclude<DeskActionKind, 'acknowledge'>;

function ConflictMessage({ feedback }: { feedback: Extract<Feedback, { kind: 'conflict' }> }) {
  const current = feedback.current;
  return (
    <div class="conflict" role="alert" data-testid="conflict">
      <strong>{t('desk.conflict.title')}</strong>
      <p>{t('desk.conflict.explain', { seen: feedback.seenVersion, now: current?.version ?? '?' })}</p>
      {current && (
        <p data-testid="conflict-current">
          {t('desk.conflict.current', { status: t(`status.${current.status}`), severity: t(`severity.${current.severity}`) })}
        </p>
      )}
      <p>{t('desk.conflict.retry')}</p>
    </div>
  );
}

function higherSeverities(severity: Severity): Severity[] {
  return SEVERITIES.slice(SEVERITIES.indexOf(severity) + 1);
}

export function ActionsPanel({ incident, onConflict }: { incident: IncidentView; onConflict: () => void }) {
  const [form, setForm] = useState<{ kind: FormKind; version: number } | null>(null);
  const [busy, setBusy] = useState(false);
  const [feedback, setFeedback] = useState<Feedback | null>(null);
  const [unitId, setUnitId] = useState('');
  const [note, setNote] = useState('');
  const [severity, setSeverity] = useState<Severity | ''>('');
  const [outcome, setOutcome] = useState<Outcome | ''>('');
  const actions = availableActions(incident);
  const available = units.value.filter((unit) => unit.status === 'available');

  function openForm(kind: FormKind): void {
    setFeedback(null);
    setForm({ kind, version: incident.version });
    setNote('');
    setUnitId('');
    setSeverity('');
    setOutcome('');
    if (kind === 'dispatch') loadUnits().catch((error: unknown) => setFeedback({ kind: 'error', text: String(error) }));
  }

  async function send(action: DeskAction, version: number): Promise<void> {
    setBusy(true);
    let result: ActionResult;
    try {
      result = await runAction({ id: incident.id, version }, action);
    } finally {
      setBusy(false);
    }
    if (result.ok) {
      setForm(null);
      setFeedback({ kind: 'done', text: t(`desk.done.${action.kind}`) });
      if (action.kind === 'dispatch' || action.kind === 'resolve') loadUnits().catch(() => undefined);
    } else if (result.reason === 'conflict') {
      setForm(null);
      setFeedback({ kind: 'conflict', seenVersion: version, current: result.current });
      onConflict();
    } else {
      setFeedback({ kind: 'error', text: t('desk.actionFailed', { message: result.message }) });
    }
  }

  function submit(event: Event): void {
    event.preventDefault();
    if (!form) return;
    let action: DeskAction | null = null;
    if (form.kind === 'dispatch' && unitId) action = { kind: 'dispatch', unitId };
    if (form.kind === 'note' && note.trim()) action = { kind: 'note', note: note.trim() };
    if (form.kind === 'escalate') action = severity ? { kind: 'escalate', severity } : { kind: 'escalate' };
    if (form.kind === 'resolve' && outcome) action = note.trim() ? { kind: 'resolve', outcome, note: note.trim() } : { kind: 'resolve', outcome };
    if (action) void send(action, form.version);
  }

  return (
    <section class="desk-actions" aria-labelledby="desk-actions-title" data-testid="actions">
      <h3 id="desk-actions-title" class="sr-only">{t('desk.actions')}</h3>
      <div class="row">
        {actions.includes('acknowledge') && (
          <button type="button" class="primary" disabled={busy} aria-keyshortcuts="a" data-testid="action-acknowledge" onClick={() => void send({ kind: 'acknowledge' }, incident.version)}>
            {t('desk.do.acknowledge')}
          </button>
        )}
        {(['dispatch', 'note', 'escalate', 'resolve'] as const).filter((kind) => actions.includes(kind)).map((kind) => (
          <button type="button" key={kind} disabled={busy} aria-expanded={form?.kind === kind} data-testid={`action-${kind}`} onClick={() => openForm(kind)}>
            {t(`desk.do.${kind}`)}
          </button>
        ))}
      </div>
      {form && (
        <form class="action-form" onSubmit={submit} data-testid={`form-${form.kind}`}>
          {form.kind === 'dispatch' && (
            <label>
              {t('desk.form.unit')}
              <select required value={unitId} onChange={(e) => setUnitId(e.currentTarget.value)} data-testid="unit-select">
                <option value="">{available.length === 0 ? t('desk.form.noUnits') : t('desk.form.chooseUnit')}</option>
                {available.map((unit) => <option key={unit.id} value={unit.id}>{t('desk.form.unitOption', { name: unit.name, kind: t(`desk.unitKind.${unit.kind}`) })}</option>)}
              </select>
            </label>
          )}
          {form.kind === 'escalate' && (
            <label>
              {t('desk.form.severity')}
              <select value={severity} onChange={(e) => setSeverity(e.currentTarget.value as Severity | '')} data-testid="severity-select">
                <option value="">{t('desk.form.oneStepUp')}</option>
                {higherSeverities(incident.severity).map((s) => <option key={s} value={s}>{t(`severity.${s}`)}</option>)}
              </select>
            </label>
          )}
          {form.kind === 'resolve' && (
            <label>
              {t('desk.form.outcome')}
              <select required value={outcome} onChange={(e) => setOutcome(e.currentTarget.value as Outcome | '')} data-testid="outcome-select">
                <option value="">{t('desk.form.chooseOutcome')}</option>
                {OUTCOMES.map((o) => <option key={o} value={o}>{outcomeLabel(o)}</option>)}
              </select>
            </label>
          )}
          {(form.kind === 'note' || form.kind === 'resolve') && (
            <label>
              {form.kind === 'note' ? t('desk.form.note') : t('desk.form.noteOptional')}
              <textarea required={form.kind === 'note'} maxLength={2000} rows={3} value={note} onInput={(e) => setNote(e.currentTarget.value)} data-testid="note-input" />
            </label>
          )}
          <div class="row">
            <button type="submit" class="primary" disabled={busy} data-testid="form-submit">{t(`desk.do.${form.kind}`)}</button>
            <button type="button" onClick={() => setForm(null)}>{t('desk.form.cancel')}</button>
          </div>
        </form>
      )}
      <div aria-live="polite">
        {feedback?.kind === 'done' && <p class="done" data-testid="action-done">{feedback.text}</p>}
        {feedback?.kind === 'error' && <p class="problem" role="alert" data-testid="action-error">{feedback.text}</p>}
        {feedback?.kind === 'conflict' && <ConflictMessage feedback={feedback} />}
      </div>
    </section>
  );
}
