import { describe, expect, it } from 'vitest';
import type { DeviceFeature } from '../api/types.js';
import { toSourceDiff } from './device-diff.js';

const device = (id: string, state: DeviceFeature['properties']['state']): DeviceFeature => ({
  type: 'Feature', id, geometry: { type: 'Point', coordinates: [114.17, 22.32] },
  properties: { id, name: id, kind: 'camera', state, stateReason: null, district: 'E', keySite: false, severity: null },
});

describe('a devices:diff as a maplibre source diff', () => {
  it('updates known devices in place, adds new ones, removes only known ones', () => {
    const known = new Set(['a', 'b']);
    const diff = toSourceDiff({ upsert: [device('a', 'offline'), device('c', 'online')], remove: ['b', 'nope'] }, known);
    expect(diff.add?.map((f) => f.id)).toEqual(['c']);
    expect(diff.update).toHaveLength(1);
    expect(diff.update?.[0]).toMatchObject({ id: 'a', newGeometry: { type: 'Point' } });
    expect(diff.update?.[0]?.addOrUpdateProperties).toContainEqual({ key: 'state', value: 'offline' });
    expect(diff.remove).toEqual(['b']);
    expect([...known].sort()).toEqual(['a', 'c']);
  });

  it('sends only what changed, and nothing for a device that did not change', () => {
    const before = new Map([['a', device('a', 'online')], ['b', device('b', 'online')]]);
    const moved = { ...device('b', 'online'), geometry: { type: 'Point' as const, coordinates: [114.18, 22.32] as [number, number] } };
    const diff = toSourceDiff({ upsert: [device('a', 'degraded'), moved, device('a', 'degraded')], remove: [] }, new Set(['a', 'b']), before);
    expect(diff.update).toEqual([
      { id: 'a', addOrUpdateProperties: [{ key: 'state', value: 'degraded' }] },
      { id: 'b', newGeometry: moved.geometry },
      { id: 'a', addOrUpdateProperties: [{ key: 'state', value: 'degraded' }] },
    ]);
    expect(toSourceDiff({ upsert: [device('a', 'online')], remove: [] }, new Set(['a']), before)).toEqual({});
  });

  it('is empty for an empty diff', () => {
    expect(toSourceDiff({ upsert: [], remove: [] }, new Set())).toEqual({});
  });
});
