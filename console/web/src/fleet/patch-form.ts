/**
 * The push form's patch: from the thresholds form (blank fields left out) or from the JSON editor. The
 * server checks it as the device will; this only catches what the browser can see at once (not JSON, an
 * empty form, a number out of 0–1), so the admin is not sent round for a typo.
 */
export const THRESHOLD_CLASSES = ['default', 'person', 'bicycle', 'car', 'motorcycle', 'bus', 'truck'] as const;
export type ThresholdClass = (typeof THRESHOLD_CLASSES)[number];
export type ThresholdInputs = Record<ThresholdClass, string>;

export const EMPTY_THRESHOLDS: ThresholdInputs = { default: '', person: '', bicycle: '', car: '', motorcycle: '', bus: '', truck: '' };

export type PatchResult =
  | { ok: true; patch: Record<string, unknown> }
  | { ok: false; problem: 'empty' | 'bad_json' | 'not_object' | 'out_of_range'; field?: string; detail?: string };

/** The thresholds typed in, as `{ thresholds: { … } }`; a value outside 0–1 names its field. */
export function patchFromThresholds(inputs: ThresholdInputs): PatchResult {
  const thresholds: Record<string, number> = {};
  for (const name of THRESHOLD_CLASSES) {
    const text = inputs[name].trim();
    if (text === '') continue;
    const value = Number(text);
    if (!Number.isFinite(value) || value < 0 || value > 1) return { ok: false, problem: 'out_of_range', field: `patch.thresholds.${name}` };
    thresholds[name] = value;
  }
  return Object.keys(thresholds).length === 0 ? { ok: false, problem: 'empty' } : { ok: true, patch: { thresholds } };
}

/** The JSON editor's text as a patch object. */
export function patchFromJson(text: string): PatchResult {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return { ok: false, problem: 'bad_json', detail: (err as Error).message };
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return { ok: false, problem: 'not_object' };
  return Object.keys(value).length === 0 ? { ok: false, problem: 'empty' } : { ok: true, patch: value as Record<string, unknown> };
}

/** The form's inputs as JSON, so switching to the editor starts from what was typed. */
export function thresholdsAsJson(inputs: ThresholdInputs): string {
  const result = patchFromThresholds(inputs);
  return JSON.stringify(result.ok ? result.patch : { thresholds: {} }, null, 2);
}
