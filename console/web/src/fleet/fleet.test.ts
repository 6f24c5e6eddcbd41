import { describe, expect, it } from 'vitest';
import { EMPTY_THRESHOLDS, patchFromJson, patchFromThresholds, thresholdsAsJson } from './patch-form.js';
import { fleetEn, fleetZhHK } from './strings.js';

describe('fleet push form', () => {
  it('makes a thresholds patch of the filled fields only, and names a field out of 0–1', () => {
    expect(patchFromThresholds({ ...EMPTY_THRESHOLDS, default: '0.5', car: ' 0.35 ' })).toEqual({ ok: true, patch: { thresholds: { default: 0.5, car: 0.35 } } });
    expect(patchFromThresholds(EMPTY_THRESHOLDS)).toEqual({ ok: false, problem: 'empty' });
    expect(patchFromThresholds({ ...EMPTY_THRESHOLDS, bus: '1.5' })).toEqual({ ok: false, problem: 'out_of_range', field: 'patch.thresholds.bus' });
    expect(patchFromThresholds({ ...EMPTY_THRESHOLDS, bus: 'high' })).toMatchObject({ ok: false, field: 'patch.thresholds.bus' });
  });

  it('reads the JSON editor: objects only, not empty', () => {
    expect(patchFromJson('{"thresholds":{"person":0.6}}')).toEqual({ ok: true, patch: { thresholds: { person: 0.6 } } });
    expect(patchFromJson('{"thresholds":')).toMatchObject({ ok: false, problem: 'bad_json' });
    expect(patchFromJson('[1]')).toEqual({ ok: false, problem: 'not_object' });
    expect(patchFromJson('{}')).toEqual({ ok: false, problem: 'empty' });
    expect(JSON.parse(thresholdsAsJson({ ...EMPTY_THRESHOLDS, person: '0.7' }))).toEqual({ thresholds: { person: 0.7 } });
  });

  it('has every fleet string in zh-HK, none empty', () => {
    expect(Object.keys(fleetZhHK).sort()).toEqual(Object.keys(fleetEn).sort());
    expect(Object.values(fleetZhHK).filter((text) => text.trim() === '')).toEqual([]);
  });
});
