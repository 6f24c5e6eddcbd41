import type { Counts } from '@streetwise/protocol';
import type { DeviceSite } from '../city/city.js';
import { createRandom, type Random } from '../random.js';
import { incidentsActive } from './incidents.js';
import { CLASS_MIX, demandFactor, localTime, PEDESTRIANS_PER_VEHICLE } from './profile.js';
import { eventActivity } from './public-events.js';
import { rainEffect, rainIntensity } from './weather.js';

/** What a site would measure over one interval: the "true" traffic plus sensor noise. */
export interface SiteMeasurement {
  counts: Counts;
  /** Vehicles in the interval (all classes but person). */
  flow: number;
  speedKmhAvg: number;
  speedKmhP85: number;
  occupancyPct: number;
  queueLengthM: number;
  congestionIndex: number;
  pm25: number;
  no2: number;
  noiseDba: number;
  rain: number;
  eventActivity: number;
}

export interface MeasureContext {
  seed: number;
  /** The device's own noise stream. */
  random: Random;
  /** Incident rate at cameras, per hour; 0 turns incidents off. */
  incidentsPerHour: number;
}

/** Each district's demand varies from day to day by a few per cent (school holidays, shopping days …). */
function dayVariation(seed: number, districtCode: string, timeMs: number): number {
  const { dayIndex } = localTime(timeMs);
  return 1 + 0.07 * Math.max(-2.5, Math.min(2.5, createRandom(seed).fork(`day:${districtCode}:${dayIndex}`).normal()));
}

/** Effective vehicle length seen by a loop (vehicle plus loop), metres: turns flow and speed into occupancy. */
const EFFECTIVE_LENGTH_M = 6.5;
const round1 = (x: number): number => Math.round(x * 10) / 10;
const clamp = (x: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, x));

/**
 * Measure one site over the interval ending at endMs. Speed follows a BPR-style curve of volume over
 * capacity; rain lowers speed and capacity; a public event nearby adds trips and crowds; a collision or
 * stopped vehicle in view halves speed.
 */
export function measureSite(site: DeviceSite, endMs: number, intervalS: number, context: MeasureContext): SiteMeasurement {
  const midMs = endMs - (intervalS * 1000) / 2;
  const rain = rainIntensity(context.seed, midMs);
  const weather = rainEffect(rain);
  const { activity } = eventActivity(context.seed, site.district, midMs);
  const incidents = incidentsActive(context.seed, site, midMs, context.incidentsPerHour);
  const blocking = incidents.some((i) => i.type === 'collision' || i.type === 'stopped_vehicle');

  const capacityVph = site.lanes * site.capacityVphPerLane * weather.capacityFactor;
  const demandVph =
    site.lanes * site.capacityVphPerLane * demandFactor(midMs, site.character) * site.siteWeight * weather.demandFactor * (1 + 0.35 * activity) * dayVariation(context.seed, site.districtCode, midMs);
  const flowVph = Math.min(demandVph, capacityVph * 1.05);
  const vc = flowVph / capacityVph;
  const freeKmh = site.freeFlowKmh * weather.speedFactor;
  const trueSpeed = (freeKmh / (1 + 0.8 * vc ** 4)) * (blocking ? 0.5 : 1);

  const r = context.random;
  const expected = (flowVph * intervalS) / 3600;
  const mix = CLASS_MIX[site.character];
  const counts: Counts = {
    car: r.poisson(expected * mix.car),
    bus: r.poisson(expected * mix.bus),
    truck: r.poisson(expected * mix.truck),
    motorcycle: r.poisson(expected * mix.motorcycle),
    bicycle: r.poisson(expected * mix.bicycle),
  };
  const flow = (counts.car ?? 0) + (counts.bus ?? 0) + (counts.truck ?? 0) + (counts.motorcycle ?? 0) + (counts.bicycle ?? 0);
  if (site.kind === 'camera') {
    const pedestrians = expected * PEDESTRIANS_PER_VEHICLE[site.character] * (1 - 0.5 * rain) * (1 + 6 * activity);
    counts.person = r.poisson(pedestrians);
  }
  const speedKmhAvg = clamp(trueSpeed * (1 + r.normal(0, 0.04)), 3, 140);
  const measuredVph = (flow * 3600) / intervalS;
  const occupancyPct = clamp(((measuredVph / site.lanes) * EFFECTIVE_LENGTH_M * 100) / (speedKmhAvg * 1000), 0, 100);
  const congestionIndex = clamp(speedKmhAvg / site.freeFlowKmh, 0, 2);
  const queueLengthM = congestionIndex < 0.5 ? Math.round((0.5 - congestionIndex) * 400 * site.lanes) : 0;
  const demand = flowVph / (site.lanes * site.capacityVphPerLane);
  const background = 14 + 8 * Math.sin(((midMs / 86_400_000) * 2 * Math.PI) / 7);
  return {
    counts,
    flow,
    speedKmhAvg: round1(speedKmhAvg),
    speedKmhP85: round1(speedKmhAvg * (1.12 + 0.03 * r.next())),
    occupancyPct: round1(occupancyPct),
    queueLengthM,
    congestionIndex: Math.round(congestionIndex * 1000) / 1000,
    pm25: round1(clamp((background + 18 * demand) * (1 - 0.45 * rain) * (1 + r.normal(0, 0.08)), 1, 500)),
    no2: round1(clamp((18 + 75 * demand) * (1 - 0.2 * rain) * (1 + r.normal(0, 0.1)), 1, 1000)),
    noiseDba: round1(clamp(48 + 9 * Math.log10(1 + measuredVph / 20) + 4 * activity + 3 * rain + r.normal(0, 0.8), 30, 120)),
    rain,
    eventActivity: Math.round(activity * 1000) / 1000,
  };
}
