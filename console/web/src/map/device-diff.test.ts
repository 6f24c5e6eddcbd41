import { describe, expect, it } from 'vitest';
import type { DeviceFeature, DevicesDiff } from '../api/types.js';
import { toSourceDiff } from './device-diff.js';

const device = (id: string, state: DeviceFeature['properties']['state']): DeviceFeature => ({
  type: 'Feature', id, geometry: { type: 'Point', coordinates: [114.17, 22.32] },
  properties: { id, name: id, kind: 'camera', state, stateReason: null, district: 'E', keySite: false, severity: null },
});

const codes: DevicesDiff['codes'] = {
  state: ['online', 'degraded', 'offline'],
  stateReason: [null, 'fps_low', 'outbox_growing', 'inference_errors', 'silent'],
  severity: [null, 'info', 'low', 'medium', 'high', 'critical'],
};
const noLive = (): DevicesDiff['live'] => ({ ids: [], state: [], stateReason: [], severity: [] });

describe('a devices:diff (v2) as a maplibre source diff', () => {
  it('adds new devices whole, replaces known ones sent whole, removes only known ones', () => {
    const known = new Set(['a', 'b']);
    const diff = toSourceDiff({ upsert: [device('a', 'offline'), device('c', 'online')], live: noLive(), codes, remove: ['b', 'nope'] }, known);
    expect(diff.add?.map((f) => f.id)).toEqual(['c']);
    expect(diff.update).toHaveLength(1);
    expect(diff.update?.[0]).toMatchObject({ id: 'a', newGeometry: { type: 'Point' } });
    expect(diff.update?.[0]?.addOrUpdateProperties).toContainEqual({ key: 'state', value: 'offline' });
    expect(diff.remove).toEqual(['b']);
    expect([...known].sort()).toEqual(['a', 'c']);
  });

  it('updates the live properties from the columns, in place, without a geometry; unknown ids are left out', () => {
    const live = { ids: ['a', 'zz', 'b'], state: [1, 0, 2], stateReason: [1, 0, 4], severity: [0, 0, 5] };
    const diff = toSourceDiff({ upsert: [], live, codes, remove: [] }, new Set(['a', 'b']));
    expect(diff).toEqual({
      update: [
        { id: 'a', addOrUpdateProperties: [{ key: 'state', value: 'degraded' }, { key: 'stateReason', value: 'fps_low' }, { key: 'severity', value: null }] },
        { id: 'b', addOrUpdateProperties: [{ key: 'state', value: 'offline' }, { key: 'stateReason', value: 'silent' }, { key: 'severity', value: 'critical' }] },
      ],
    });
  });

  it('leaves out the live properties that did not change, and a device none of whose did', () => {
    const before = new Map([['a', device('a', 'online')], ['b', device('b', 'degraded')]]);
    const live = { ids: ['a', 'b'], state: [2, 1], stateReason: [0, 0], severity: [0, 0] };
    expect(toSourceDiff({ upsert: [], live, codes, remove: [] }, new Set(['a', 'b']), before)).toEqual({
      update: [{ id: 'a', addOrUpdateProperties: [{ key: 'state', value: 'offline' }] }],
    });
  });

  it('is empty for an empty diff', () => {
    expect(toSourceDiff({ upsert: [], live: noLive(), codes, remove: [] }, new Set())).toEqual({});
  });
});
