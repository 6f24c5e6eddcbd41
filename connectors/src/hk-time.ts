/**
 * Hong Kong wall-clock time is UTC+8 all year (no daylight saving since 1979), and the Transport Department's
 * feed writes it without a zone. A fixed offset is therefore exact; a time-zone database would add nothing.
 */
export const HK_UTC_OFFSET_MS = 8 * 3_600_000;

const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIME_PATTERN = /^(\d{2}):(\d{2}):(\d{2})$/;

/**
 * UTC epoch milliseconds of a Hong Kong date ("2024-04-06") and time of day ("21:27:30").
 * Returns undefined when either is not a real date or time (no rolling of 2024-02-30 into March).
 */
export function hkWallClockToUtcMs(date: string, time: string): number | undefined {
  const d = DATE_PATTERN.exec(date.trim());
  const t = TIME_PATTERN.exec(time.trim());
  if (!d || !t) return undefined;
  const [year, month, day] = [Number(d[1]), Number(d[2]), Number(d[3])];
  const [hour, minute, second] = [Number(t[1]), Number(t[2]), Number(t[3])];
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  const asUtcMs = Date.UTC(year, month - 1, day, hour, minute, second);
  const check = new Date(asUtcMs);
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) return undefined;
  return asUtcMs - HK_UTC_OFFSET_MS;
}
