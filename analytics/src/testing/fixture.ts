/**
 * A small seeded city whose answers are computed by hand (see the comments; the tests assert them).
 * Monday 4 March 2024 and Tuesday 5 March 2024, Hong Kong time; one reading a week earlier.
 *
 * st-cam-1  (camera, Sha Tin, Tai Po Road): Mon 08:00–09:55 every 5 min (24 readings): car 10, bus 2,
 *           person 5, speed 40, occupancy 20 %, zone occupancy 0…23. Configured free-flow 50 km/h.
 *           Mon 26 Feb 08:00–08:55 (12 readings): car 5.
 * st-loop-1 (loop, Sha Tin, Tolo Highway): Mon 08:00, 08:05, 08:10: car 20, truck 1, speed 100.
 * ytm-loop-1 (loop, Yau Tsim Mong, Nathan Road): Mon 23:55 car 7; Tue 00:00–02:55 every 5 min
 *           (36 readings): car 11, 13, then 1 each; speed 40, 41, …, 75.
 * ytm-aq-1  (air quality, Yau Tsim Mong): one reading on each hour — Mon 00:00–23:00: PM2.5 60,
 *           NO2 100 (250 at 17:00, 18:00, 19:00), noise 60 (72 at 08:00 and 09:00);
 *           Tue 00:00–16:00 (17 hours): PM2.5 80, NO2 100, noise 60.
 * kt-td-1   (loop, Kwun Tong, Kwun Tong Road; like the Transport Department's feed: volume, no classes):
 *           Tue 07:00–07:55 every 5 min (12 readings): volume 30, 31, …, 41 (Σ 426), speed 60; Tue 08:00
 *           one reading with classes and a volume: bus 4, volume 50 (its classes count: 4 vehicles).
 * kt-cam-1  (camera, Kwun Tong, Kwun Tong Road): Tue 07:00–07:55 every 5 min (12 readings): car 10,
 *           truck 2, speed 30 (Σ car 120, truck 24).
 *
 * Incidents: 3 collisions at st-cam-1 opened Mon 10:00, acknowledged after 60/120/300 s, two dispatched
 * after 600/900 s, one resolved after 3600 s; 1 stopped vehicle (high) at ytm-loop-1 Mon 11:00,
 * acknowledged after 30 s.
 */
import type { SeedDevice, SeedIncident, SeedTelemetry } from './seed.js';

/** Epoch ms of a Hong Kong wall-clock time. */
export const hk = (date: string, time = '00:00'): number => Date.parse(`${date}T${time}:00+08:00`);
export const hkIso = (date: string, time = '00:00'): string => new Date(hk(date, time)).toISOString();
const MIN = 60_000;

export const FIXTURE_DEVICES: SeedDevice[] = [
  { id: 'st-cam-1', kind: 'camera', district: 'R', road: 'Tai Po Road', lat: 22.3817, lon: 114.1885 },
  { id: 'st-loop-1', kind: 'loop_detector', district: 'R', road: 'Tolo Highway', lat: 22.41, lon: 114.21 },
  { id: 'ytm-loop-1', kind: 'loop_detector', district: 'E', road: 'Nathan Road', lat: 22.312, lon: 114.171 },
  { id: 'ytm-aq-1', kind: 'air_quality', district: 'E', road: null, lat: 22.318, lon: 114.169 },
  { id: 'kt-td-1', kind: 'loop_detector', district: 'J', road: 'Kwun Tong Road', lat: 22.3104, lon: 114.2227 },
  { id: 'kt-cam-1', kind: 'camera', district: 'J', road: 'Kwun Tong Road', lat: 22.3131, lon: 114.2258 },
];

export function fixtureTelemetry(): SeedTelemetry[] {
  const rows: SeedTelemetry[] = [];
  const mon8 = hk('2024-03-04', '08:00');
  for (let i = 0; i < 24; i++) {
    rows.push({ time: mon8 + i * 5 * MIN, deviceId: 'st-cam-1', car: 10, bus: 2, person: 5, speedKmh: 40, occupancyPct: 20, zoneOccupancy: i });
  }
  const lastMon8 = hk('2024-02-26', '08:00');
  for (let i = 0; i < 12; i++) rows.push({ time: lastMon8 + i * 5 * MIN, deviceId: 'st-cam-1', car: 5 });
  for (let i = 0; i < 3; i++) rows.push({ time: mon8 + i * 5 * MIN, deviceId: 'st-loop-1', car: 20, truck: 1, speedKmh: 100 });
  rows.push({ time: hk('2024-03-04', '23:55'), deviceId: 'ytm-loop-1', car: 7 });
  const tue0 = hk('2024-03-05', '00:00');
  for (let i = 0; i < 36; i++) {
    rows.push({ time: tue0 + i * 5 * MIN, deviceId: 'ytm-loop-1', car: i === 0 ? 11 : i === 1 ? 13 : 1, speedKmh: 40 + i });
  }
  const mon0 = hk('2024-03-04', '00:00');
  for (let h = 0; h < 24; h++) {
    rows.push({
      time: mon0 + h * 60 * MIN,
      deviceId: 'ytm-aq-1',
      pm25: 60,
      no2: h >= 17 && h <= 19 ? 250 : 100,
      noiseDba: h === 8 || h === 9 ? 72 : 60,
    });
  }
  for (let h = 0; h < 17; h++) rows.push({ time: tue0 + h * 60 * MIN, deviceId: 'ytm-aq-1', pm25: 80, no2: 100, noiseDba: 60 });
  const tue7 = hk('2024-03-05', '07:00');
  for (let i = 0; i < 12; i++) {
    rows.push({ time: tue7 + i * 5 * MIN, deviceId: 'kt-td-1', volume: 30 + i, speedKmh: 60 });
    rows.push({ time: tue7 + i * 5 * MIN, deviceId: 'kt-cam-1', car: 10, truck: 2, speedKmh: 30 });
  }
  rows.push({ time: hk('2024-03-05', '08:00'), deviceId: 'kt-td-1', bus: 4, volume: 50 });
  return rows;
}

const at = (ms: number, plusS: number | null | undefined): string | null =>
  plusS === null || plusS === undefined ? null : new Date(ms + plusS * 1000).toISOString();

export function fixtureIncidents(): SeedIncident[] {
  const mon10 = hk('2024-03-04', '10:00');
  const cam = FIXTURE_DEVICES[0] as SeedDevice;
  const ytm = FIXTURE_DEVICES[2] as SeedDevice;
  const collision = (ack: number, disp: number | null, res: number | null): SeedIncident => ({
    type: 'collision',
    severity: 'medium',
    deviceId: cam.id,
    district: cam.district,
    lat: cam.lat as number,
    lon: cam.lon as number,
    openedAt: new Date(mon10).toISOString(),
    acknowledgedAt: at(mon10, ack),
    dispatchedAt: at(mon10, disp),
    resolvedAt: at(mon10, res),
  });
  const mon11 = hk('2024-03-04', '11:00');
  return [
    collision(60, 600, 3600),
    collision(120, 900, null),
    collision(300, null, null),
    {
      type: 'stopped_vehicle',
      severity: 'high',
      deviceId: ytm.id,
      district: ytm.district,
      lat: ytm.lat as number,
      lon: ytm.lon as number,
      openedAt: new Date(mon11).toISOString(),
      acknowledgedAt: at(mon11, 30),
    },
  ];
}
