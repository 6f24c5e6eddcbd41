import type { FeedProblem } from '../feed.js';
import { REPLACEMENT_CHAR } from '../decode-xml-bytes.js';
import { hkWallClockToUtcMs } from '../hk-time.js';
import { childText, parseXmlFragment } from '../xml-fragment.js';
import type { XmlElement } from '../xml-fragment.js';
import type { TdDetectorReading, TdLane, TdRawPeriod } from './td-types.js';

export interface TdParseResult {
  /** False when the text holds no <raw_speed_volume_list> at all: not this feed (an error page, another file). */
  isTdFeed: boolean;
  /** The feed's <date>, Hong Kong calendar. */
  date: string | undefined;
  periods: TdRawPeriod[];
  problems: FeedProblem[];
}

const DAY_MS = 86_400_000;
const ROOT = 'raw_speed_volume_list';
/** Block boundaries; the lookahead keeps <period_from>, <periods>, <detectors> out. */
const BLOCK_TAG = /<(\/?)(raw_speed_volume_list|period|detector)(?=[\s>/])[^>]*>/g;

interface Block {
  start: number;
  end: number | undefined;
}
interface PeriodBlock extends Block {
  headerEnd: number | undefined;
  /** Set when the next <period> began before this one's </period>. */
  unclosed: boolean;
  detectors: Block[];
}

/**
 * The feed is flat and regular (root → <period> blocks → <detector> blocks), so its block boundaries are found
 * by one scan and each block is parsed strictly on its own (see xml-fragment.ts): damage stays inside the
 * detector where it is. A block with no end tag is where the file was cut.
 */
function scanBlocks(text: string): { rootStart: number | undefined; rootClosed: boolean; periods: PeriodBlock[]; stray: number[] } {
  const periods: PeriodBlock[] = [];
  const stray: number[] = [];
  let rootStart: number | undefined;
  let rootClosed = false;
  let period: PeriodBlock | undefined;
  let detector: Block | undefined;
  for (const match of text.matchAll(BLOCK_TAG)) {
    const at = match.index;
    const closing = match[1] === '/';
    const name = match[2];
    const after = at + match[0].length;
    if (name === ROOT) {
      if (closing) rootClosed = true;
      else rootStart ??= at;
    } else if (name === 'period' && !closing) {
      // A block left open before the next begins ends there, without its end tag: its parse then fails as malformed.
      if (detector) detector.end = at;
      if (period) {
        period.end = at;
        period.headerEnd ??= at;
        period.unclosed = true;
      }
      period = { start: at, end: undefined, headerEnd: undefined, unclosed: false, detectors: [] };
      periods.push(period);
      detector = undefined;
    } else if (name === 'period') {
      if (detector) detector.end = at;
      if (period && period.end === undefined) {
        period.end = after;
        period.headerEnd ??= at;
      } else stray.push(at);
      period = undefined;
      detector = undefined;
    } else if (!closing) {
      if (!period) {
        stray.push(at);
        continue;
      }
      if (detector) detector.end = at;
      detector = { start: at, end: undefined };
      period.detectors.push(detector);
      period.headerEnd ??= at;
    } else if (detector && detector.end === undefined) {
      detector.end = after;
      detector = undefined;
    } else stray.push(at);
  }
  return { rootStart, rootClosed, periods, stray };
}

function readDate(text: string, rootStart: number, firstPeriod: number, problems: FeedProblem[]): string | undefined {
  const prelude = text.slice(rootStart, firstPeriod);
  const fragment = parseXmlFragment(prelude, new Set([ROOT, 'periods']));
  for (const error of fragment.errors) problems.push({ code: 'xml_malformed', offset: rootStart + error.offset, message: `feed header: ${error.message}` });
  const date = fragment.elements[0]?.children.find((child) => child.name === 'date')?.text.trim();
  if (date === undefined) problems.push({ code: 'missing_field', field: 'date', message: 'feed header has no <date>: no period can be timed' });
  return date;
}

const NUMBER = /^-?\d+(\.\d+)?$/;
const LANE_FIELDS = [
  ['speed', 'speedKmh', 300],
  ['occupancy', 'occupancyPct', 100],
  ['volume', 'volume', 10_000],
  ['s.d.', 'speedSdKmh', 300],
] as const;

function readLane(element: XmlElement, where: { period: string; siteId: string }, problems: FeedProblem[]): TdLane {
  const laneId = (childText(element, 'lane_id') ?? '').trim();
  const validFlag = (childText(element, 'valid') ?? '').trim();
  const lane: TdLane = { laneId, validInFeed: validFlag === 'Y' };
  const reject = (problem: Omit<FeedProblem, 'period' | 'siteId' | 'laneId'>): void => {
    problems.push({ ...problem, period: where.period, siteId: where.siteId, laneId });
    lane.rejected ??= problem.code;
  };
  const name = `period ${where.period}, detector ${where.siteId}, lane "${laneId}"`;
  if (validFlag !== 'Y' && validFlag !== 'N') reject({ code: validFlag.includes(REPLACEMENT_CHAR) ? 'encoding' : 'missing_field', field: 'valid', value: validFlag, message: `${name}: <valid> is "${validFlag}", expected Y or N; lane counted invalid` });
  for (const [tag, key, max] of LANE_FIELDS) {
    const raw = childText(element, tag);
    if (raw === undefined) {
      if (lane.validInFeed) reject({ code: 'missing_field', field: tag, message: `${name}: no <${tag}>; lane counted invalid` });
      continue;
    }
    const value = raw.trim();
    if (!NUMBER.test(value)) {
      if (lane.validInFeed) {
        const code = value.includes(REPLACEMENT_CHAR) ? 'encoding' : 'non_numeric';
        reject({ code, field: tag, value, message: `${name}: <${tag}> is "${value}", not a number${code === 'encoding' ? ' (undecodable bytes)' : ''}; lane counted invalid` });
      }
      continue;
    }
    const number = Number(value);
    lane[key] = number;
    if (!lane.validInFeed) continue;
    if (number < 0) reject({ code: 'negative_value', field: tag, value, message: `${name}: <${tag}> is ${value}, below 0; lane counted invalid` });
    else if (number > max) reject({ code: 'out_of_range', field: tag, value, message: `${name}: <${tag}> is ${value}, above ${max}; lane counted invalid` });
  }
  return lane;
}

function readDetector(text: string, block: Block, period: string, problems: FeedProblem[]): TdDetectorReading | undefined {
  const fragment = parseXmlFragment(text.slice(block.start, block.end ?? text.length));
  const element = fragment.elements[0];
  const siteId = element ? (childText(element, 'detector_id') ?? '').trim() : '';
  const who = siteId ? `detector ${siteId}` : 'a detector without a readable id';
  if (block.end === undefined) {
    problems.push({ code: 'truncated', period, ...(siteId ? { siteId } : {}), offset: block.start, message: `period ${period}, ${who}: the file ends inside it; the detector is left out (its lanes are incomplete)` });
    return undefined;
  }
  const firstError = fragment.errors[0];
  if (firstError || !element) {
    const reason = firstError?.message ?? 'empty block';
    problems.push({ code: 'xml_malformed', period, ...(siteId ? { siteId } : {}), offset: block.start + (firstError?.offset ?? 0), message: `period ${period}, ${who}: malformed XML (${reason}); the detector is left out, the rest is read` });
    return undefined;
  }
  if (!siteId || siteId.includes(REPLACEMENT_CHAR)) {
    problems.push({ code: siteId ? 'encoding' : 'missing_field', period, field: 'detector_id', value: siteId, offset: block.start, message: `period ${period}: a detector has ${siteId ? `an undecodable id "${siteId}"` : 'no <detector_id>'}; it is left out` });
    return undefined;
  }
  const lanesElement = element.children.find((child) => child.name === 'lanes');
  const lanes = (lanesElement?.children ?? []).filter((child) => child.name === 'lane').map((lane) => readLane(lane, { period, siteId }, problems));
  const direction = (childText(element, 'direction') ?? '').trim();
  if (direction.includes(REPLACEMENT_CHAR)) problems.push({ code: 'encoding', period, siteId, field: 'direction', value: direction, message: `period ${period}, detector ${siteId}: <direction> "${direction}" holds undecodable bytes; its figures are read` });
  return { detectorId: siteId, direction, lanes };
}

function readPeriod(text: string, block: PeriodBlock, date: string | undefined, problems: FeedProblem[]): TdRawPeriod | undefined {
  const header = parseXmlFragment(text.slice(block.start, block.headerEnd ?? block.end ?? text.length), new Set(['period', 'detectors']));
  const element = header.elements[0];
  const from = element ? (childText(element, 'period_from') ?? '').trim() : '';
  const to = element ? (childText(element, 'period_to') ?? '').trim() : '';
  const label = `${date ?? '(no date)'} ${from || '?'}–${to || '?'} HKT`;
  const startMs = date === undefined ? undefined : hkWallClockToUtcMs(date, from);
  let endMs = date === undefined ? undefined : hkWallClockToUtcMs(date, to);
  if (startMs === undefined || endMs === undefined || header.errors.length > 0) {
    const why = header.errors[0]?.message ?? (date === undefined ? 'the feed has no date' : `period_from "${from}" / period_to "${to}" is not a time of day`);
    problems.push({ code: 'bad_period', period: label, offset: block.start, message: `period ${label}: cannot be timed (${why}); its ${block.detectors.length} detectors are left out` });
    return undefined;
  }
  // A period that ends at midnight writes period_to 00:00:00: it ends on the next day.
  if (endMs <= startMs) endMs += DAY_MS;
  const seen = new Set<string>();
  const detectors: TdDetectorReading[] = [];
  for (const detectorBlock of block.detectors) {
    const reading = readDetector(text, detectorBlock, label, problems);
    if (!reading) continue;
    if (seen.has(reading.detectorId)) {
      problems.push({ code: 'duplicate_site', period: label, siteId: reading.detectorId, offset: detectorBlock.start, message: `period ${label}, detector ${reading.detectorId}: listed twice; the first is kept` });
      continue;
    }
    seen.add(reading.detectorId);
    detectors.push(reading);
  }
  if (block.unclosed) {
    problems.push({ code: 'xml_malformed', period: label, offset: block.start, message: `period ${label}: no </period> before the next period; its ${detectors.length} whole detectors are kept` });
  }
  const complete = block.end !== undefined;
  if (!complete && block.detectors.at(-1)?.end !== undefined) {
    problems.push({ code: 'truncated', period: label, offset: block.start, message: `period ${label}: the file ends inside it after ${detectors.length} whole detectors; those are kept` });
  }
  return { label, from, to, startMs, endMs, complete, detectors };
}

/** Parse the text of one rawSpeedVol-all.xml snapshot; partial damage comes back as problems, never thrown. */
export function parseTdXml(text: string): TdParseResult {
  const problems: FeedProblem[] = [];
  const scan = scanBlocks(text);
  if (scan.rootStart === undefined) return { isTdFeed: false, date: undefined, periods: [], problems };
  const date = readDate(text, scan.rootStart, scan.periods[0]?.start ?? text.length, problems);
  const periods: TdRawPeriod[] = [];
  for (const block of scan.periods) {
    const period = readPeriod(text, block, date, problems);
    if (period) periods.push(period);
  }
  for (const at of scan.stray) problems.push({ code: 'xml_malformed', offset: at, message: `a stray tag at character ${at} outside its period or detector is ignored` });
  if (!scan.rootClosed && scan.periods.every((period) => period.end !== undefined)) {
    problems.push({ code: 'truncated', offset: text.length, message: `the file ends before </${ROOT}>: it was cut after ${scan.periods.length} whole periods` });
  }
  return { isTdFeed: true, date, periods, problems };
}
