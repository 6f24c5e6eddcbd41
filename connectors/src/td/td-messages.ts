import { findDistrict } from '@streetwise/districts';
import { newMessageId, type HealthMessage, type StatusMessage, type TelemetryMessage } from '@streetwise/protocol';
import { readingMessageId } from '../derived-id.js';
import type { FeedPeriod } from '../feed.js';
import type { FeedHealthReport } from '../source/feed-health.js';
import type { TdDetectorSite } from './td-catalogue.js';
import type { TdDetectorAggregate } from './td-types.js';

/**
 * TD readings → protocol v1 messages, as plain values (the publisher only sends them). Each detector is a
 * loop_detector device named by its feed id; the connector itself is a gateway device that reports the feed's
 * health under its own id.
 */

/** What the detectors' and the gateway's births say they run. */
export const TD_CONNECTOR_FIRMWARE = 'streetwise-connector-td/0.1.0';
/** Loop detectors count, time and occupy, exactly what the simulated ones announce. */
export const TD_DETECTOR_CAPABILITIES = ['count', 'speed', 'occupancy'] as const;

const iso = (ms: number): string => new Date(ms).toISOString();
const round6 = (value: number): number => Math.round(value * 1e6) / 1e6;

/** Retained birth of one detector: kind, place, district code (from the CSV's district name) and road. */
export function detectorBirth(site: TdDetectorSite, nowMs: number): StatusMessage {
  const district = findDistrict(site.district)?.code;
  return {
    v: 1,
    id: newMessageId(nowMs),
    deviceId: site.siteId,
    ts: iso(nowMs),
    state: 'online',
    kind: 'loop_detector',
    name: site.name.slice(0, 128),
    location: { lat: round6(site.latitude), lon: round6(site.longitude) },
    // Unknown spellings are left out: ingest then takes the district whose boundary holds the location.
    ...(district === undefined ? {} : { district }),
    ...(site.road.length > 0 ? { road: site.road.slice(0, 160) } : {}),
    capabilities: [...TD_DETECTOR_CAPABILITIES],
    firmware: TD_CONNECTOR_FIRMWARE,
  };
}

/** A detector the feed stopped listing long enough to be offline (retained, like a last will). */
export function offlineStatus(deviceId: string, nowMs: number): StatusMessage {
  return { v: 1, id: newMessageId(nowMs), deviceId, ts: iso(nowMs), state: 'offline' };
}

/**
 * One detector's reading for one period. The id comes from (feed, detector, period end), so a period seen
 * again (the next file repeats it, a restarted connector polls it again) is stored once by ingest's dedupe.
 * `ts` is the period end (re-timed on replay); `observedAt` the end as published.
 */
export function detectorTelemetry(feedName: string, period: FeedPeriod<TdDetectorAggregate>, reading: TdDetectorAggregate): TelemetryMessage {
  return {
    v: 1,
    id: readingMessageId(feedName, 'telemetry', reading.siteId, period.endMs),
    deviceId: reading.siteId,
    ts: iso(period.endMs),
    intervalS: Math.max(1, Math.round((period.endMs - period.startMs) / 1000)),
    volume: reading.volume,
    ...(reading.speedKmh === undefined ? {} : { speedKmhAvg: reading.speedKmh }),
    ...(reading.occupancyPct === undefined ? {} : { occupancyPct: reading.occupancyPct }),
    lanesValid: reading.lanesValid,
    lanesInvalid: reading.lanesInvalid,
    observedAt: iso(period.originalEndMs ?? period.endMs),
  };
}

/**
 * The connector's own birth. The protocol wants a place for every device; a gateway has none of its own, so it
 * stands at the mean position of the sites it speaks for (for the TD feed, in Kowloon).
 */
export function gatewayBirth(gatewayId: string, feedName: string, sites: Iterable<{ latitude: number; longitude: number }>, nowMs: number): StatusMessage {
  let lat = 0;
  let lon = 0;
  let n = 0;
  for (const site of sites) {
    lat += site.latitude;
    lon += site.longitude;
    n++;
  }
  return {
    v: 1,
    id: newMessageId(nowMs),
    deviceId: gatewayId,
    ts: iso(nowMs),
    state: 'online',
    kind: 'multi',
    name: `feed connector ${feedName}`.slice(0, 128),
    ...(n > 0 ? { location: { lat: round6(lat / n), lon: round6(lon / n) } } : {}),
    capabilities: ['gateway', feedName.slice(0, 64)],
    firmware: TD_CONNECTOR_FIRMWARE,
  };
}

/** The gateway's health: the feed's age and the detectors that went silent, counted. */
export function gatewayHealth(gatewayId: string, report: FeedHealthReport, startedAtMs: number, nowMs: number, queued: number): HealthMessage {
  return {
    v: 1,
    id: newMessageId(nowMs),
    deviceId: gatewayId,
    ts: iso(nowMs),
    uptimeS: Math.max(0, (nowMs - startedAtMs) / 1000),
    outboxDepth: Math.min(1_000_000, queued),
    ...(report.feedAgeS === undefined ? {} : { feedAgeS: Math.min(31_536_000, Math.max(0, report.feedAgeS)) }),
    devicesStale: report.sites.stale.length,
    devicesOffline: report.sites.offline.length,
  };
}
