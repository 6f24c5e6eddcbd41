/**
 * Push a config change to the selected devices or to a district: detection thresholds in a small form, or
 * any patch the protocol allows in a JSON editor. The API checks the patch as the device will; its 400
 * names the field, which is shown (and, in the form, marked on its input).
 */
import { useState } from 'preact/hooks';
import { ApiError } from '../api/client.js';
import { locale, t, type MessageKey } from '../i18n/i18n.js';
import { districtLabel, type DistrictName } from './districts.js';
import { pushConfig, type PushAnswer, type PushTarget } from './fleet-api.js';
import { EMPTY_THRESHOLDS, patchFromJson, patchFromThresholds, THRESHOLD_CLASSES, thresholdsAsJson, type PatchResult, type ThresholdInputs } from './patch-form.js';

export interface PushFormProps {
  selected: readonly string[];
  districts: readonly DistrictName[];
  disabled: boolean;
  onPushed: (answer: PushAnswer) => void;
}

interface Problem {
  message: string;
  field?: string | undefined;
}

function localProblem(result: Extract<PatchResult, { ok: false }>): Problem {
  if (result.problem === 'bad_json') return { message: t('fleet.push.badJson', { message: result.detail ?? '' }) };
  if (result.problem === 'empty') return { message: t('fleet.push.emptyPatch') };
  if (result.problem === 'not_object') return { message: t('fleet.push.badJson', { message: '{ … }' }) };
  return { message: t('fleet.push.thresholdHint'), field: result.field };
}

export function PushForm({ selected, districts, disabled, onPushed }: PushFormProps) {
  const [targetKind, setTargetKind] = useState<'devices' | 'district'>('devices');
  const [district, setDistrict] = useState('');
  const [mode, setMode] = useState<'form' | 'json'>('form');
  const [thresholds, setThresholds] = useState<ThresholdInputs>(EMPTY_THRESHOLDS);
  const [json, setJson] = useState('{\n  "thresholds": { "default": 0.4 }\n}');
  const [problem, setProblem] = useState<Problem | null>(null);
  const [sending, setSending] = useState(false);
  const zh = locale.value === 'zh-HK';

  const submit = async (event: Event) => {
    event.preventDefault();
    setProblem(null);
    if (targetKind === 'devices' && selected.length === 0) return setProblem({ message: t('fleet.push.noneSelected') });
    if (targetKind === 'district' && district === '') return setProblem({ message: t('fleet.push.chooseDistrict') });
    const patch = mode === 'form' ? patchFromThresholds(thresholds) : patchFromJson(json);
    if (!patch.ok) return setProblem(localProblem(patch));
    const target: PushTarget = targetKind === 'devices' ? { devices: [...selected] } : { district };
    setSending(true);
    try {
      onPushed(await pushConfig(target, patch.patch));
    } catch (err) {
      const body = err instanceof ApiError ? err.body : undefined;
      setProblem({ message: t('fleet.push.refused', { message: body?.message ?? (err as Error).message }), field: body?.parameter });
    } finally {
      setSending(false);
    }
  };

  return (
    <form class="push-form dash-card" onSubmit={(e) => void submit(e)} aria-labelledby="push-title" data-testid="push-form">
      <h2 id="push-title">{t('fleet.push.title')}</h2>
      <fieldset>
        <legend>{t('fleet.push.target')}</legend>
        <label class="inline">
          <input type="radio" name="push-target" checked={targetKind === 'devices'} onChange={() => setTargetKind('devices')} data-testid="push-target-devices" />
          {t('fleet.push.selected', { count: selected.length })}
        </label>
        <label class="inline">
          <input type="radio" name="push-target" checked={targetKind === 'district'} onChange={() => setTargetKind('district')} data-testid="push-target-district" />
          {t('fleet.push.district')}
        </label>
        {targetKind === 'district' && (
          <select value={district} aria-label={t('fleet.district')} onChange={(e) => setDistrict(e.currentTarget.value)} data-testid="push-district">
            <option value="">{t('fleet.allDistricts')}</option>
            {districts.map((d) => (
              <option key={d.code} value={d.code}>{districtLabel(d, zh)}</option>
            ))}
          </select>
        )}
      </fieldset>
      <fieldset>
        <legend>{t('fleet.push.mode')}</legend>
        <label class="inline">
          <input type="radio" name="push-mode" checked={mode === 'form'} onChange={() => setMode('form')} data-testid="push-mode-form" />
          {t('fleet.push.mode.form')}
        </label>
        <label class="inline">
          <input
            type="radio"
            name="push-mode"
            checked={mode === 'json'}
            onChange={() => {
              if (patchFromThresholds(thresholds).ok) setJson(thresholdsAsJson(thresholds));
              setMode('json');
            }}
            data-testid="push-mode-json"
          />
          {t('fleet.push.mode.json')}
        </label>
      </fieldset>
      {mode === 'form' ? (
        <fieldset class="thresholds">
          <legend>{t('fleet.push.thresholds')}</legend>
          <p class="muted small">{t('fleet.push.thresholdHint')}</p>
          <div class="threshold-grid">
            {THRESHOLD_CLASSES.map((name) => (
              <label key={name}>
                <span>{t(`fleet.push.threshold.${name}` as MessageKey)}</span>
                <input
                  type="number"
                  min="0"
                  max="1"
                  step="0.05"
                  inputMode="decimal"
                  value={thresholds[name]}
                  aria-invalid={problem?.field === `patch.thresholds.${name}`}
                  onInput={(e) => setThresholds({ ...thresholds, [name]: e.currentTarget.value })}
                  data-testid={`threshold-${name}`}
                />
              </label>
            ))}
          </div>
        </fieldset>
      ) : (
        <label class="json-editor">
          <span>{t('fleet.push.json')}</span>
          <textarea rows={10} spellcheck={false} value={json} aria-invalid={problem !== null} aria-describedby="push-json-hint" onInput={(e) => setJson(e.currentTarget.value)} data-testid="push-json" />
          <span id="push-json-hint" class="muted small">{t('fleet.push.jsonHint')}</span>
        </label>
      )}
      {problem && (
        <div class="problem" role="alert" data-testid="push-problem" data-field={problem.field ?? ''}>
          <p>{problem.message}</p>
          {problem.field && <p class="small">{t('fleet.push.field', { field: problem.field })}</p>}
        </div>
      )}
      <div class="row">
        <button type="submit" class="primary" disabled={disabled || sending} data-testid="push-submit">
          {sending ? t('fleet.push.sending') : t('fleet.push.submit')}
        </button>
      </div>
    </form>
  );
}
