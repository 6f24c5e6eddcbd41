import type { EventMessage, HealthMessage, StatusMessage, TelemetryMessage } from '@streetwise/protocol';
import type { RejectedItem } from '../types.js';

/**
 * Messages → column arrays for one multi-row `insert … select * from unnest($1::…[], …)` per table.
 * Pure. The array order matches the column lists in batch-sql.ts. Timestamps travel as the device's
 * ISO text (PostgreSQL keeps its microseconds), JSON as text, bytes as base64 text.
 */
type Column = Array<string | number | boolean | null>;
const orNull = <T>(value: T | undefined): T | null => (value === undefined ? null : value);
const isoFromMs = (ms: number): string => new Date(ms).toISOString();

export interface Timed<M> {
  message: M;
  receivedAtMs: number;
}

export function eventColumns(rows: ReadonlyArray<Timed<EventMessage>>): Column[] {
  const columns: Column[] = Array.from({ length: 19 }, () => []);
  for (const { message: m, receivedAtMs } of rows) {
    const values = [
      m.ts, m.id, m.deviceId, m.type, m.severity, orNull(m.class), orNull(m.trackId), orNull(m.confidence),
      m.location.lat, m.location.lon, orNull(m.rule), orNull(m.direction), orNull(m.speedKmh), orNull(m.count),
      orNull(m.durationS), orNull(m.modelVersion), m.attrs === undefined ? null : JSON.stringify(m.attrs),
      m.snapshot !== undefined, isoFromMs(receivedAtMs),
    ];
    values.forEach((value, i) => columns[i]!.push(value));
  }
  return columns;
}

export function telemetryColumns(rows: ReadonlyArray<Timed<TelemetryMessage>>): Column[] {
  const columns: Column[] = Array.from({ length: 21 }, () => []);
  for (const { message: m, receivedAtMs } of rows) {
    const c = m.counts ?? {};
    const values = [
      m.ts, m.id, m.deviceId, m.intervalS, orNull(m.approach),
      orNull(c.person), orNull(c.bicycle), orNull(c.car), orNull(c.motorcycle), orNull(c.bus), orNull(c.truck),
      orNull(m.speedKmhAvg), orNull(m.speedKmhP85), orNull(m.occupancyPct), orNull(m.queueLengthM), orNull(m.zoneOccupancy),
      orNull(m.pm25), orNull(m.no2), orNull(m.noiseDba), orNull(m.congestionIndex), isoFromMs(receivedAtMs),
    ];
    values.forEach((value, i) => columns[i]!.push(value));
  }
  return columns;
}

export function healthColumns(rows: ReadonlyArray<Timed<HealthMessage>>): Column[] {
  const columns: Column[] = Array.from({ length: 14 }, () => []);
  for (const { message: m, receivedAtMs } of rows) {
    const values = [
      m.ts, m.id, m.deviceId, m.uptimeS, orNull(m.fps), orNull(m.inferenceMsP50), orNull(m.inferenceMsP95),
      orNull(m.cpuPct), orNull(m.rssMb), m.outboxDepth, orNull(m.outboxDropped),
      m.models === undefined ? null : JSON.stringify(m.models), orNull(m.configVersion), isoFromMs(receivedAtMs),
    ];
    values.forEach((value, i) => columns[i]!.push(value));
  }
  return columns;
}

/** Births, one per device (the batch's last). */
export function birthColumns(births: readonly StatusMessage[], finalState: ReadonlyMap<string, 'online' | 'offline'>): Column[] {
  const columns: Column[] = Array.from({ length: 12 }, () => []);
  for (const m of births) {
    const values = [
      m.deviceId, m.kind ?? 'multi', orNull(m.name), orNull(m.district), orNull(m.road),
      m.location?.lat ?? null, m.location?.lon ?? null,
      m.capabilities === undefined ? null : JSON.stringify(m.capabilities),
      m.models === undefined ? null : JSON.stringify(m.models),
      orNull(m.firmware), orNull(m.configVersion), finalState.get(m.deviceId) ?? 'online',
    ];
    values.forEach((value, i) => columns[i]!.push(value));
  }
  return columns;
}

/** Dead letters never fail on text: NULs in topic or client id are replaced (payload is bytes). */
const cleanText = (text: string): string => text.replace(/\u0000/g, '\uFFFD');

export function deadLetterColumns(items: readonly RejectedItem[]): Column[] {
  const columns: Column[] = Array.from({ length: 7 }, () => []);
  for (const item of items) {
    const values = [
      isoFromMs(item.receivedAtMs), cleanText(item.topic), item.payload.toString('base64'), item.reasonCode,
      cleanText(item.reason), item.clientId === null ? null : cleanText(item.clientId), item.deviceId,
    ];
    values.forEach((value, i) => columns[i]!.push(value));
  }
  return columns;
}
