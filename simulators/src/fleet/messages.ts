import {
  makeMessage,
  type EventMessage,
  type HealthMessage,
  type StatusMessage,
  type TelemetryMessage,
} from '@streetwise/protocol';
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

const toLocation = ([lon, lat]: LonLat): { lat: number; lon: number } => ({ lat: Math.round(lat * 1e6) / 1e6, lon: Math.round(lon * 1e6) / 1e6 });

/** Retained birth message: who the device is and where it stands. */
export function birthMessage(site: DeviceSite, models: Record<string, string>, nowMs = Date.now()): StatusMessage {
  return makeMessage(
    'status',
    {
      deviceId: site.id,
      state: 'online',
      kind: site.kind,
      name: site.name,
      location: toLocation(site.location),
      district: site.district,
      road: site.road,
      capabilities: [...CAPABILITIES[site.kind]],
      ...(site.kind === 'camera' ? { models } : {}),
      firmware: SIM_FIRMWARE,
      configVersion: 0,
    },
    nowMs,
  );
}

/** The last will (and clean-shutdown) message. */
export function offlineMessage(site: Pick<DeviceSite, 'id'>, nowMs = Date.now()): StatusMessage {
  return makeMessage('status', { deviceId: site.id, state: 'offline' }, nowMs);
}

/** Telemetry for one interval: each kind reports what its sensor can see. */
export function telemetryMessage(site: DeviceSite, m: SiteMeasurement, intervalS: number, nowMs = Date.now()): TelemetryMessage {
  const base = { deviceId: site.id, intervalS };
  switch (site.kind) {
    case 'loop_detector':
      return makeMessage(
        'telemetry',
        {
          ...base,
          counts: { car: m.counts.car ?? 0, bus: m.counts.bus ?? 0, truck: m.counts.truck ?? 0, motorcycle: m.counts.motorcycle ?? 0 },
          speedKmhAvg: m.speedKmhAvg,
          speedKmhP85: m.speedKmhP85,
          occupancyPct: m.occupancyPct,
          congestionIndex: m.congestionIndex,
        },
        nowMs,
      );
    case 'camera':
      return makeMessage(
        'telemetry',
        {
          ...base,
          approach: site.road.slice(0, 64),
          counts: m.counts,
          speedKmhAvg: m.speedKmhAvg,
          queueLengthM: m.queueLengthM,
          zoneOccupancy: Math.round((m.counts.person ?? 0) / Math.max(1, intervalS / 30)),
          congestionIndex: m.congestionIndex,
        },
        nowMs,
      );
    case 'air_quality':
      return makeMessage('telemetry', { ...base, pm25: m.pm25, no2: m.no2 }, nowMs);
    case 'noise':
      return makeMessage('telemetry', { ...base, noiseDba: m.noiseDba }, nowMs);
  }
}

export interface HealthFigures {
  uptimeS: number;
  outboxDepth: number;
  outboxDropped?: number;
  rssMb?: number;
  fps?: number;
  inferenceMsP50?: number;
  inferenceMsP95?: number;
}

export function healthMessage(site: DeviceSite, figures: HealthFigures, models: Record<string, string>, nowMs = Date.now()): HealthMessage {
  return makeMessage(
    'health',
    {
      deviceId: site.id,
      ...figures,
      uptimeS: Math.round(figures.uptimeS * 10) / 10,
      ...(site.kind === 'camera' ? { models } : {}),
      configVersion: 0,
    },
    nowMs,
  );
}

const RULE_BY_TYPE: Readonly<Record<Incident['type'], string>> = {
  collision: 'collision-watch',
  stopped_vehicle: 'no-stopping-zone',
  wrong_way: 'wrong-way-lane',
  intrusion: 'restricted-zone',
  crowd_density: 'crowd-zone',
};

/** The safety event a camera raises for an incident it sees. */
export function incidentEvent(site: DeviceSite, incident: Incident, modelVersion: string | undefined, nowMs = Date.now()): EventMessage {
  return makeMessage(
    'event',
    {
      deviceId: site.id,
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
    },
    nowMs,
  );
}
