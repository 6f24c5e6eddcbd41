import type { DistrictCharacter } from '../city/city.js';

/** Hong Kong is UTC+8 all year (no daylight saving). */
export const HK_OFFSET_MS = 8 * 3_600_000;

export interface LocalTime {
  /** Hour of the day in Hong Kong, 0 ≤ h < 24, with fractions. */
  hour: number;
  /** 0 = Sunday … 6 = Saturday, in Hong Kong. */
  dayOfWeek: number;
  weekend: boolean;
  /** Days since 1970-01-01 in Hong Kong local time. */
  dayIndex: number;
}

export function localTime(timeMs: number): LocalTime {
  const local = timeMs + HK_OFFSET_MS;
  const dayIndex = Math.floor(local / 86_400_000);
  const hour = (local - dayIndex * 86_400_000) / 3_600_000;
  const dayOfWeek = (dayIndex + 4) % 7; // 1970-01-01 was a Thursday
  return { hour, dayOfWeek, weekend: dayOfWeek === 0 || dayOfWeek === 6, dayIndex };
}

interface Shape {
  /** Floor in the small hours. */
  night: number;
  /** Daytime plateau between the peaks. */
  day: number;
  /** Extra at the morning peak (about 08:30) and the evening peak (about 18:15). */
  am: number;
  pm: number;
  /** Overall scale of the district's demand. */
  scale: number;
}

const WEEKDAY: Record<DistrictCharacter, Shape> = {
  cbd: { night: 0.07, day: 0.62, am: 0.4, pm: 0.38, scale: 1 },
  mixed: { night: 0.07, day: 0.55, am: 0.42, pm: 0.36, scale: 0.9 },
  residential: { night: 0.05, day: 0.45, am: 0.5, pm: 0.4, scale: 0.85 },
  port: { night: 0.16, day: 0.7, am: 0.25, pm: 0.22, scale: 0.85 },
  rural: { night: 0.04, day: 0.38, am: 0.36, pm: 0.3, scale: 0.55 },
};

const WEEKEND: Record<DistrictCharacter, Shape> = {
  cbd: { night: 0.09, day: 0.6, am: 0.05, pm: 0.15, scale: 0.8 },
  mixed: { night: 0.08, day: 0.58, am: 0.05, pm: 0.14, scale: 0.8 },
  residential: { night: 0.06, day: 0.55, am: 0.05, pm: 0.12, scale: 0.75 },
  port: { night: 0.1, day: 0.45, am: 0.05, pm: 0.08, scale: 0.6 },
  rural: { night: 0.05, day: 0.55, am: 0.05, pm: 0.15, scale: 0.6 },
};

const gauss = (x: number, mean: number, sd: number): number => Math.exp(-0.5 * ((x - mean) / sd) ** 2);
const smoothstep = (edge0: number, edge1: number, x: number): number => {
  const t = Math.min(1, Math.max(0, (x - edge0) / (edge1 - edge0)));
  return t * t * (3 - 2 * t);
};

/**
 * Traffic demand as a fraction of the road's capacity (before the site's own weight), by Hong Kong
 * local time and district character. Weekdays have a morning peak around 08:30 and an evening peak
 * around 18:15; weekends a broad midday hump; the trough is at 03:00–04:30.
 */
export function demandFactor(timeMs: number, character: DistrictCharacter): number {
  const { hour, weekend } = localTime(timeMs);
  const shape = (weekend ? WEEKEND : WEEKDAY)[character];
  // Day activity rises 06:00→09:30 (weekends 07:30→11:00) and falls 20:00→01:30 (wrapping past midnight).
  const rise = weekend ? smoothstep(7.5, 11, hour) : smoothstep(6, 9.5, hour);
  const h = hour < 4.5 ? hour + 24 : hour;
  const fall = 1 - smoothstep(20, 25.5, h);
  const dayPart = shape.day * Math.min(rise, fall);
  const peaks = weekend
    ? shape.am * gauss(hour, 11, 1.5) + shape.pm * gauss(hour, 17, 2)
    : shape.am * gauss(hour, 8.5, 0.9) + shape.pm * gauss(hour, 18.25, 1.2);
  return shape.scale * (shape.night + dayPart + peaks);
}

/** Share of each vehicle class in the flow, by district character (taxis and vans count as cars). */
export const CLASS_MIX: Readonly<Record<DistrictCharacter, { car: number; bus: number; truck: number; motorcycle: number; bicycle: number }>> = {
  cbd: { car: 0.66, bus: 0.14, truck: 0.1, motorcycle: 0.08, bicycle: 0.02 },
  mixed: { car: 0.64, bus: 0.12, truck: 0.14, motorcycle: 0.07, bicycle: 0.03 },
  residential: { car: 0.66, bus: 0.12, truck: 0.1, motorcycle: 0.06, bicycle: 0.06 },
  port: { car: 0.42, bus: 0.06, truck: 0.45, motorcycle: 0.05, bicycle: 0.02 },
  rural: { car: 0.64, bus: 0.09, truck: 0.14, motorcycle: 0.05, bicycle: 0.08 },
};

/** Pedestrians per vehicle at a junction camera, by district character. */
export const PEDESTRIANS_PER_VEHICLE: Readonly<Record<DistrictCharacter, number>> = {
  cbd: 2.5,
  mixed: 1.6,
  residential: 1.1,
  port: 0.2,
  rural: 0.5,
};
