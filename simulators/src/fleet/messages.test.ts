import { decodeUplink, describeInvalid, deviceTopic, encodeMessage, validateMessage } from '@streetwise/protocol';
import { describe, expect, it } from 'vitest';
import { buildCity, selectSites } from '../city/city.js';
import { createRandom } from '../random.js';
import { incidentsStarting } from '../traffic/incidents.js';
import { measureSite } from '../traffic/measure.js';
import { birthMessage, incidentEvent, telemetryMessage } from './messages.js';

describe('simulated device messages', () => {
  const city = buildCity({ seed: 3 });
  const sites = selectSites(city, 60);
  const now = Date.UTC(2025, 2, 4, 1, 0); // 09:00 in Hong Kong, a Tuesday

  it('covers every device kind', () => {
    expect(new Set(sites.map((s) => s.kind))).toEqual(new Set(['camera', 'loop_detector', 'air_quality', 'noise']));
  });

  it('builds births and telemetry that pass the protocol validators', () => {
    for (const site of sites) {
      const random = createRandom(site.id);
      const messages = [
        ['status', birthMessage(site, { detector: 'x' }, now)],
        ['telemetry', telemetryMessage(site, measureSite(site, now, 10, { seed: 3, random, incidentsPerHour: 1 }), 10, now)],
      ] as const;
      for (const [kind, message] of messages) {
        expect(describeInvalid(kind, message), `${site.id} ${kind}`).toBeUndefined();
        expect(validateMessage(kind, message)).toBe(true);
        const decoded = decodeUplink(deviceTopic(site.id, kind), encodeMessage(message), {}, now);
        expect(decoded.ok, JSON.stringify(decoded)).toBe(true);
      }
    }
  });

  it('builds a valid event for every incident type', () => {
    const cameras = sites.filter((s) => s.kind === 'camera');
    const seen = new Set<string>();
    for (const camera of cameras) {
      for (const incident of incidentsStarting(3, camera, now - 7 * 86_400_000, now, 2)) {
        const event = incidentEvent(camera, incident, 'v1', incident.startMs + 5000);
        expect(describeInvalid('event', event)).toBeUndefined();
        seen.add(incident.type);
      }
    }
    expect(seen).toEqual(new Set(['collision', 'stopped_vehicle', 'wrong_way', 'intrusion', 'crowd_density']));
  });
});
