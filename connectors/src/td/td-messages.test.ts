import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { describeInvalid, isMessageId } from '@streetwise/protocol';
import { readingMessageId } from '../derived-id.js';
import { FeedHealth } from '../source/feed-health.js';
import { createTdFeed } from './td-feed.js';
import { detectorBirth, detectorTelemetry, gatewayBirth, gatewayHealth, offlineStatus } from './td-messages.js';

const SNAPSHOT = fileURLToPath(new URL('../../data/hk/td_raw_speed_volume_2024-04-06_2127.xml', import.meta.url));
const feed = createTdFeed();
const NOW_MS = Date.UTC(2026, 0, 1);
const snapshot = feed.read(readFileSync(SNAPSHOT), { nowMs: NOW_MS, source: SNAPSHOT });
const first = snapshot.periods[0]!;
const reading = (siteId: string) => first.readings.find((r) => r.siteId === siteId)!;

describe('TD readings as protocol v1 messages', () => {
  it('AID01101 21:27:00–21:27:30: telemetry with volume, volume-weighted speed, occupancy, lanes, published end and derived id', () => {
    const message = detectorTelemetry(feed.name, first, reading('AID01101'));
    // By hand from the XML (td-snapshot.test.ts): volume 3 + 7 + 1 = 11, speed 666/11, occupancy (1 + 5 + 0) / 3.
    expect(message).toEqual({
      v: 1, id: readingMessageId('hk-td-speed-volume', 'telemetry', 'AID01101', Date.UTC(2024, 3, 6, 13, 27, 30)), deviceId: 'AID01101',
      ts: '2024-04-06T13:27:30.000Z', intervalS: 30, volume: 11, speedKmhAvg: 666 / 11, occupancyPct: 2, lanesValid: 3, lanesInvalid: 0,
      observedAt: '2024-04-06T13:27:30.000Z',
    });
    expect(describeInvalid('telemetry', message)).toBeUndefined();
    expect(isMessageId(message.id)).toBe(true);
  });

  it('AID01113, every lane invalid: volume 0 and no speed or occupancy at all (not 0)', () => {
    const message = detectorTelemetry(feed.name, first, reading('AID01113'));
    expect(message).toMatchObject({ volume: 0, lanesValid: 0 });
    expect(message.lanesInvalid).toBeGreaterThan(0);
    expect('speedKmhAvg' in message || 'occupancyPct' in message).toBe(false);
    expect(describeInvalid('telemetry', message)).toBeUndefined();
  });

  it('a replayed period: ts is the re-timed end, observedAt the published end, the id follows ts', () => {
    const shifted = { ...first, startMs: NOW_MS - 30_000, endMs: NOW_MS, originalStartMs: first.startMs, originalEndMs: first.endMs };
    const message = detectorTelemetry(feed.name, shifted, reading('AID01101'));
    expect(message.ts).toBe('2026-01-01T00:00:00.000Z');
    expect(message.observedAt).toBe('2024-04-06T13:27:30.000Z');
    expect(message.id).toBe(readingMessageId(feed.name, 'telemetry', 'AID01101', NOW_MS));
  });

  it('every reading of the snapshot is a valid telemetry message, one id per detector and period', () => {
    const messages = snapshot.periods.flatMap((p) => p.readings.map((r) => detectorTelemetry(feed.name, p, r)));
    expect(messages).toHaveLength(752 + 754);
    expect(messages.filter((m) => describeInvalid('telemetry', m) !== undefined)).toEqual([]);
    expect(new Set(messages.map((m) => m.id)).size).toBe(1506);
  });

  it('birth: loop_detector at its CSV place, district as its code (Southern → D), road without landmark and bound', () => {
    const birth = detectorBirth(feed.sites.get('AID01101')!, NOW_MS);
    expect(birth).toMatchObject({
      deviceId: 'AID01101', state: 'online', kind: 'loop_detector', name: 'Aberdeen Praya Road near Abba House - Eastbound',
      location: { lat: 22.248091, lon: 114.152525 }, district: 'D', road: 'Aberdeen Praya Road', capabilities: ['count', 'speed', 'occupancy'],
      ts: '2026-01-01T00:00:00.000Z',
    });
    expect(detectorBirth(feed.sites.get('AID01113')!, NOW_MS).district).toBe('E');
    const invalid = [...feed.sites.values()].map((site) => detectorBirth(site, NOW_MS)).filter((b) => describeInvalid('status', b) !== undefined || b.district === undefined);
    expect(invalid).toEqual([]);
  });

  it('gateway: birth, offline status and health with feed age and silent detectors, all valid', () => {
    const health = new FeedHealth();
    health.observe(snapshot.periods);
    const report = health.report(first.endMs + 30_000 + 45_000);
    const message = gatewayHealth('td-gateway', report, NOW_MS - 60_000, NOW_MS, 0);
    // 752 detectors in the first period, 754 in the second: the two missing from the first are live, none silent yet.
    expect(message).toMatchObject({ deviceId: 'td-gateway', uptimeS: 60, outboxDepth: 0, feedAgeS: 45, devicesStale: 0, devicesOffline: 0 });
    expect(describeInvalid('health', message)).toBeUndefined();
    const birth = gatewayBirth('td-gateway', feed.name, feed.sites.values(), NOW_MS);
    expect(describeInvalid('status', birth)).toBeUndefined();
    expect(birth).toMatchObject({ kind: 'multi', state: 'online' });
    // A birth needs a place: the mean of two sites is their midpoint.
    expect(gatewayBirth('g', 'f', [{ latitude: 22.25, longitude: 114.1 }, { latitude: 22.35, longitude: 114.2 }], NOW_MS).location).toEqual({ lat: 22.3, lon: 114.15 });
    expect(describeInvalid('status', offlineStatus('AID01101', NOW_MS))).toBeUndefined();
  });
});
