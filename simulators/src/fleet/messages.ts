import { makeMessage, type EventMessage, type StatusMessage, type TelemetryMessage } from '@streetwise/protocol';
import type { BirthInfo, EventBody, TelemetryBody } from '@streetwise/edge-agent';
import type { DeviceSite, SimDeviceKind } from '../city/city.js';
import type { LonLat } from '../city/geo.js';
import type { Incident } from '../traffic/incidents.js';
import type { SiteMeasurement } from '../traffic/measure.js';

/** Version string the simulated devices report as their firmware. */
export const SIM_FIRMWARE = 'streetwise-sim/0.1.0';

export const CAPABILITIES: Readonly<Record<SimDeviceKind, readonly string[]>> = {
  camera: ['detect', 'track', 'count', 'speed', 'line_crossing', 'zones', 'stopped_vehicle', 'wrong_way', 'crowd_density', 'collision', 'intrusion'],
  loop_detector: ['count', 'speed', 'occupancy'],
  air_quality: ['pm25', 'no2'],
  noise: ['noise_dba'],
};

export const toLocation = ([lon, lat]: LonLat): { lat: number; lon: number } => ({ lat: Math.round(lat * 1e6) / 1e6, lon: Math.round(lon * 1e6) / 1e6 });

/** What the retained birth says: who the device is and where it stands. */
export function birthInfo(site: DeviceSite, models: Record<string, string>): BirthInfo {
  return {
    kind: site.kind,
    name: site.name,
    location: toLocation(site.location),
    district: site.district,
    road: site.road,
    capabilities: [...CAPABILITIES[site.kind]],
    ...(site.kind === 'camera' ? { models } : {}),
    firmware: SIM_FIRMWARE,
    configVersion: 0,
  };
}

/** Telemetry for one interval: each kind reports what its sensor can see. */
export function telemetryBody(site: DeviceSite, m: SiteMeasurement, intervalS: number): TelemetryBody {
  switch (site.kind) {
    case 'loop_detector':
      return {
        intervalS,
        counts: { car: m.counts.car ?? 0, bus: m.counts.bus ?? 0, truck: m.counts.truck ?? 0, motorcycle: m.counts.motorcycle ?? 0 },
        speedKmhAvg: m.speedKmhAvg,
        speedKmhP85: m.speedKmhP85,
        occupancyPct: m.occupancyPct,
        congestionIndex: m.congestionIndex,
      };
    case 'camera':
      return {
        intervalS,
        approach: site.road.slice(0, 64),
        counts: m.counts,
        speedKmhAvg: m.speedKmhAvg,
        queueLengthM: m.queueLengthM,
        zoneOccupancy: Math.round((m.counts.person ?? 0) / Math.max(1, intervalS / 30)),
        congestionIndex: m.congestionIndex,
      };
    case 'air_quality':
      return { intervalS, pm25: m.pm25, no2: m.no2 };
    case 'noise':
      return { intervalS, noiseDba: m.noiseDba };
  }
}

const RULE_BY_TYPE: Readonly<Record<Incident['type'], string>> = {
  collision: 'collision-watch',
  stopped_vehicle: 'no-stopping-zone',
  wrong_way: 'wrong-way-lane',
  intrusion: 'restricted-zone',
  crowd_density: 'crowd-zone',
};

/** The safety event a camera raises for an incident it sees. */
export function incidentEventBody(incident: Incident, modelVersion: string | undefined, nowMs: number): EventBody {
  return {
    type: incident.type,
    severity: incident.severity,
    class: incident.class,
    confidence: 0.9,
    location: toLocation(incident.location),
    rule: RULE_BY_TYPE[incident.type],
    count: incident.count,
    ...(incident.type === 'stopped_vehicle' || incident.type === 'collision' ? { durationS: Math.max(0, Math.round((nowMs - incident.startMs) / 1000)) } : {}),
    ...(modelVersion ? { modelVersion } : {}),
    attrs: { simulated: true, incident: incident.id.slice(0, 256) },
  };
}

/** Whole messages as the publisher will build them (tests check them against the protocol). */
export function birthMessage(site: DeviceSite, models: Record<string, string>, nowMs = Date.now()): StatusMessage {
  return makeMessage('status', { deviceId: site.id, state: 'online', ...birthInfo(site, models) }, nowMs);
}

export function telemetryMessage(site: DeviceSite, m: SiteMeasurement, intervalS: number, nowMs = Date.now()): TelemetryMessage {
  return makeMessage('telemetry', { deviceId: site.id, ...telemetryBody(site, m, intervalS) }, nowMs);
}

export function incidentEvent(site: DeviceSite, incident: Incident, modelVersion: string | undefined, nowMs = Date.now()): EventMessage {
  const body = incidentEventBody(incident, modelVersion, nowMs);
  return makeMessage('event', { deviceId: site.id, ...body, location: body.location ?? toLocation(site.location) }, nowMs);
}
