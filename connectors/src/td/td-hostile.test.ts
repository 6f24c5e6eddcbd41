import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { isStreetwiseError } from '@streetwise/errors';
import type { FeedProblem, FeedSnapshot } from '../feed.js';
import { createTdFeed } from './td-feed.js';
import type { TdDetectorAggregate } from './td-types.js';

// Each case damages the real snapshot in one place and checks the problem it gives and that the rest is read.
const SNAPSHOT = fileURLToPath(new URL('../../data/hk/td_raw_speed_volume_2024-04-06_2127.xml', import.meta.url));
const TEXT = readFileSync(SNAPSHOT, 'utf8');
const FIRST = '2024-04-06 21:27:00–21:27:30 HKT';
const SECOND = '2024-04-06 21:27:30–21:28:00 HKT';
const NOW_MS = Date.UTC(2026, 0, 1);
const feed = createTdFeed();
const SECOND_START = TEXT.indexOf('<period>', TEXT.indexOf('<period>') + 1);

function read(input: string | Uint8Array, nowMs = NOW_MS, futureToleranceMs?: number): FeedSnapshot<TdDetectorAggregate> {
  const bytes = typeof input === 'string' ? Buffer.from(input, 'utf8') : input;
  return feed.read(bytes, { nowMs, source: 'hostile', ...(futureToleranceMs === undefined ? {} : { futureToleranceMs }) });
}

/** Replace the first occurrence of `from` after `at` (the first period unless told). */
function damage(from: string, to: string, at = 0, text = TEXT): string {
  const index = text.indexOf(from, at);
  expect(index, `"${from}" is in the snapshot`).toBeGreaterThanOrEqual(0);
  return text.slice(0, index) + to + text.slice(index + from.length);
}

const AID01101 = '<detector_id>AID01101</detector_id>';
const counts = (s: FeedSnapshot<TdDetectorAggregate>): number[] => s.periods.map((p) => p.readings.length);
const reading = (s: FeedSnapshot<TdDetectorAggregate>, period: number, id: string): TdDetectorAggregate | undefined =>
  s.periods[period]?.readings.find((r) => r.siteId === id);
const codes = (problems: FeedProblem[]): string[] => problems.map((p) => p.code);

describe('TD feed, hostile input: each damage gives its problem, the rest is read', () => {
  it('truncated inside a detector of the second period: that detector is named and left out, everything before is kept', () => {
    const cut = TEXT.indexOf('<direction>', TEXT.indexOf('<detector_id>AID04110</detector_id>', SECOND_START));
    const text = TEXT.slice(0, cut);
    // Whole detectors before the cut in the second period, counted on the text itself.
    const wholeBefore = text.slice(SECOND_START).split('</detector>').length - 1;
    const snapshot = read(text);
    expect(snapshot.problems).toEqual([
      expect.objectContaining({ code: 'truncated', period: SECOND, siteId: 'AID04110' }),
    ]);
    expect(snapshot.problems[0]!.message).toContain(`period ${SECOND}, detector AID04110: the file ends inside it`);
    expect(counts(snapshot)).toEqual([752, wholeBefore]);
    expect(snapshot.periods.map((p) => p.complete)).toEqual([true, false]);
    expect(reading(snapshot, 0, 'AID01101')?.volume).toBe(11);
  });

  it('truncated between two detectors: the period is marked incomplete and its whole detectors are kept', () => {
    const text = TEXT.slice(0, TEXT.lastIndexOf('<detector>', TEXT.indexOf('<detector_id>AID04110</detector_id>', SECOND_START)));
    const snapshot = read(text);
    expect(codes(snapshot.problems)).toEqual(['truncated']);
    expect(snapshot.problems[0]).toMatchObject({ period: SECOND });
    expect(reading(snapshot, 1, 'AID04110')).toBeUndefined();
    expect(snapshot.periods[1]!.complete).toBe(false);
  });

  it('truncated after the last period: one problem, both periods whole', () => {
    const snapshot = read(TEXT.slice(0, TEXT.lastIndexOf('</periods>')));
    expect(codes(snapshot.problems)).toEqual(['truncated']);
    expect(counts(snapshot)).toEqual([752, 754]);
  });

  it('wrong encoding: Latin-1 bytes in a UTF-8 file cost only the fields that hold them', () => {
    // AID01102 (first period) lanes: Fast 78/1/1 Y, Middle 68/3/4 Y, Slow 70/0/0 Y. Its fast lane's volume "1"
    // becomes the Latin-1 byte 0xB9 ("¹"), which is not UTF-8: that lane is rejected, so volume 4 + 0 = 4,
    // speed 68·4 / 4 = 68, occupancy (3 + 0) / 2 = 1.5. AID01101's direction gets a Latin-1 "ö": reported, figures kept.
    const text = damage('<volume>1</volume>', '<volume>\u0000</volume>', TEXT.indexOf('<detector_id>AID01102</detector_id>'))
      .replace('<direction>South East</direction>', '<direction>S\u0001uth East</direction>');
    const bytes = Buffer.from(text, 'utf8');
    bytes[bytes.indexOf(0x00)] = 0xb9;
    bytes[bytes.indexOf(0x01)] = 0xf6;
    const snapshot = read(bytes);
    expect(codes(snapshot.problems)).toEqual(['encoding', 'encoding', 'encoding']);
    expect(snapshot.problems[0]!.message).toContain('bytes are not valid utf-8');
    expect(snapshot.problems[1]).toMatchObject({ period: FIRST, siteId: 'AID01101', field: 'direction' });
    expect(snapshot.problems[2]).toMatchObject({ period: FIRST, siteId: 'AID01102', laneId: 'Fast Lane', field: 'volume' });
    expect(reading(snapshot, 0, 'AID01102')).toMatchObject({ volume: 4, speedKmh: 68, occupancyPct: 1.5, lanesValid: 2, lanesInvalid: 1 });
    expect(reading(snapshot, 0, 'AID01101')).toMatchObject({ volume: 11, direction: 'S\uFFFDuth East' });
    expect(counts(snapshot)).toEqual([752, 754]);
  });

  it('a UTF-16 file with its byte-order mark reads the same as the UTF-8 one', () => {
    const utf16 = Buffer.from('\uFEFF' + TEXT.replace('encoding="utf-8"', 'encoding="utf-16"'), 'utf16le');
    const snapshot = read(utf16);
    expect(snapshot.problems).toEqual([]);
    expect(snapshot).toEqual(read(TEXT));
  });

  it('an encoding the declaration names but no decoder knows: read as UTF-8, said once', () => {
    const snapshot = read(TEXT.replace('encoding="utf-8"', 'encoding="x-klingon"'));
    expect(snapshot.problems).toEqual([expect.objectContaining({ code: 'encoding', value: 'x-klingon' })]);
    expect(counts(snapshot)).toEqual([752, 754]);
  });

  it('a detector id not in the catalogue: named, left out of its period only', () => {
    const snapshot = read(damage(AID01101, '<detector_id>AID99999</detector_id>'));
    expect(snapshot.problems).toEqual([expect.objectContaining({ code: 'unknown_site', period: FIRST, siteId: 'AID99999' })]);
    expect(counts(snapshot)).toEqual([751, 754]);
    expect(reading(snapshot, 1, 'AID01101')?.volume).toBe(4);
  });

  it('a negative volume: that lane is rejected and counted invalid, the detector keeps its other lanes', () => {
    // AID01101 first period: Fast 66/1/3, Middle 59/5/7 → -7, Slow 55/0/1. Without the middle lane:
    // volume 3 + 1 = 4, speed (66·3 + 55·1) / 4 = 253/4 = 63.25, occupancy (1 + 0) / 2 = 0.5.
    const snapshot = read(damage('<volume>7</volume>', '<volume>-7</volume>'));
    expect(snapshot.problems).toEqual([
      expect.objectContaining({ code: 'negative_value', period: FIRST, siteId: 'AID01101', laneId: 'Middle Lane', field: 'volume', value: '-7' }),
    ]);
    expect(reading(snapshot, 0, 'AID01101')).toMatchObject({ volume: 4, speedKmh: 253 / 4, occupancyPct: 0.5, lanesValid: 2, lanesInvalid: 1 });
    expect(counts(snapshot)).toEqual([752, 754]);
  });

  it('non-numeric and out-of-range values: the lane is rejected with the field and value named', () => {
    const text = damage('<speed>66</speed>', '<speed>fast</speed>').replace('<occupancy>5</occupancy>', '<occupancy>250</occupancy>');
    const snapshot = read(text);
    expect(snapshot.problems).toEqual([
      expect.objectContaining({ code: 'non_numeric', siteId: 'AID01101', laneId: 'Fast Lane', field: 'speed', value: 'fast' }),
      expect.objectContaining({ code: 'out_of_range', siteId: 'AID01101', laneId: 'Middle Lane', field: 'occupancy', value: '250' }),
    ]);
    // Only the slow lane is left: volume 1, speed 55, occupancy 0.
    expect(reading(snapshot, 0, 'AID01101')).toMatchObject({ volume: 1, speedKmh: 55, occupancyPct: 0, lanesValid: 1, lanesInvalid: 2 });
  });

  it('a period from the future is refused whole; the period before it is read', () => {
    // now = end of the first period; the second ends 30 s later, beyond a 10-s tolerance.
    const snapshot = read(TEXT, Date.UTC(2024, 3, 6, 13, 27, 30), 10_000);
    expect(snapshot.problems).toEqual([expect.objectContaining({ code: 'future_period', period: SECOND })]);
    expect(snapshot.problems[0]!.message).toContain('ends 30 s after now');
    expect(counts(snapshot)).toEqual([752]);
    // The default tolerance is the protocol's 5 minutes of clock skew.
    expect(counts(read(TEXT, Date.UTC(2024, 3, 6, 13, 27, 30)))).toEqual([752, 754]);
  });

  it('malformed XML inside one detector (a bare "&", a mismatched end tag): that detector is named and left out', () => {
    const bareAmpersand = damage('<direction>North East</direction>', '<direction>North & East</direction>', TEXT.indexOf('<detector_id>AID01102</detector_id>'));
    const text = damage('<volume>2</volume>', '<volume>2</volum>', TEXT.indexOf('<detector_id>AID01103</detector_id>'), bareAmpersand);
    const snapshot = read(text);
    expect(snapshot.problems.map((p) => [p.code, p.period, p.siteId])).toEqual([
      ['xml_malformed', FIRST, 'AID01102'],
      ['xml_malformed', FIRST, 'AID01103'],
    ]);
    expect(counts(snapshot)).toEqual([750, 754]);
    expect(reading(snapshot, 0, 'AID01104')?.lanesValid).toBe(2);
  });

  it('a detector or a period without its end tag mid-file: named as malformed, the next one is read', () => {
    const block = /<detector><detector_id>AID01101<\/detector_id>.*?<\/detector>/.exec(TEXT)![0];
    const noDetectorEnd = read(TEXT.replace(block, block.slice(0, -'</detector>'.length)));
    expect(noDetectorEnd.problems.map((p) => [p.code, p.period, p.siteId])).toEqual([['xml_malformed', FIRST, 'AID01101']]);
    expect(counts(noDetectorEnd)).toEqual([751, 754]);
    expect(reading(noDetectorEnd, 0, 'AID01102')?.volume).toBe(5);

    const noPeriodEnd = read(damage('</detectors></period>', '</detectors>'));
    expect(noPeriodEnd.problems.map((p) => [p.code, p.period])).toEqual([['xml_malformed', FIRST]]);
    expect(noPeriodEnd.problems[0]!.message).toContain('its 752 whole detectors are kept');
    expect(counts(noPeriodEnd)).toEqual([752, 754]);
  });

  it('a detector listed twice in one period: the first is kept', () => {
    const block = /<detector><detector_id>AID01101<\/detector_id>.*?<\/detector>/.exec(TEXT)![0];
    const snapshot = read(TEXT.replace(block, block + block.replace('<volume>3</volume>', '<volume>30</volume>')));
    expect(snapshot.problems).toEqual([expect.objectContaining({ code: 'duplicate_site', period: FIRST, siteId: 'AID01101' })]);
    expect(reading(snapshot, 0, 'AID01101')?.volume).toBe(11);
  });

  it('a period that cannot be timed is left out with its detector count; the other is read', () => {
    const snapshot = read(damage('<period_to>21:27:30</period_to>', '<period_to>half past</period_to>'));
    expect(snapshot.problems).toEqual([expect.objectContaining({ code: 'bad_period' })]);
    expect(snapshot.problems[0]!.message).toContain('its 752 detectors are left out');
    expect(snapshot.periods.map((p) => p.label)).toEqual([SECOND]);
  });

  it('a period that ends at midnight ends on the next day', () => {
    // 23:59:30–00:00:00 HKT on 2024-04-06 is 15:59:30Z–16:00:00Z the same UTC day.
    const snapshot = read(damage('<period_from>21:27:00</period_from><period_to>21:27:30</period_to>', '<period_from>23:59:30</period_from><period_to>00:00:00</period_to>'));
    expect(snapshot.problems).toEqual([]);
    expect([snapshot.periods[0]!.startMs, snapshot.periods[0]!.endMs]).toEqual([Date.UTC(2024, 3, 6, 15, 59, 30), Date.UTC(2024, 3, 6, 16, 0, 0)]);
  });

  it('what is not this feed at all is one clear error, not a list of problems', () => {
    const unreadable = (input: string): unknown => {
      try {
        read(input);
      } catch (err) {
        return err;
      }
      return undefined;
    };
    for (const input of ['<html><body>502 Bad Gateway</body></html>', '', TEXT.slice(0, TEXT.indexOf('<period>') + 20)]) {
      const err = unreadable(input);
      expect(isStreetwiseError(err, 'SW_CONNECTOR_FEED_UNREADABLE'), JSON.stringify(input.slice(0, 40))).toBe(true);
      expect((err as Error).message).toContain('feed hk-td-speed-volume: hostile is unreadable as a whole');
    }
  });
});
