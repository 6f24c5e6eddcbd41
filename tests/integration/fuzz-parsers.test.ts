import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FEED_PROBLEM_CODES, createTdFeed, decodeXmlBytes, parseTdXml } from '@streetwise/connectors';
import { INGEST_SETTINGS, parseIngestSettings } from '@streetwise/ingest';
import { bool, defineSettings, integer, oneOf, pattern, text, url } from '@streetwise/settings';
import { H3_MAX_RESOLUTION, H3_MIN_RESOLUTION, cellOf, parseCell, parseRange, resolveDistrict, listDistricts } from '@streetwise/analytics';
import { toApiError } from '@streetwise/errors';
import { FUZZ_SEED } from '../src/hostile/valid-messages.js';

/**
 * Property-based fuzzing of the other parsers that read what a stranger wrote: the Transport Department feed
 * (bytes and XML), the settings parser (flags and environment), and the pure query validators the console's
 * /api/v1 routes share (time range, district, H3 cell). Never a throw; every valid input read exactly.
 */
const runs = (numRuns: number): fc.Parameters<unknown> => ({ seed: FUZZ_SEED, numRuns, endOnFailure: true });

const SNAPSHOT = fileURLToPath(new URL('../../connectors/data/hk/td_raw_speed_volume_2024-04-06_2127.xml', import.meta.url));
/** The real snapshot's head with its first 12 detectors, closed properly: small enough to damage a thousand times. */
const EXCERPT = (() => {
  const full = readFileSync(SNAPSHOT, 'utf8');
  let end = 0;
  for (let i = 0; i < 12; i++) end = full.indexOf('</detector>', end) + '</detector>'.length;
  return `${full.slice(0, end)}</detectors></period></periods></raw_speed_volume_list>`;
})();
const feed = createTdFeed();
const NOW_MS = Date.UTC(2024, 3, 6, 13, 40);

describe('fuzzing the Transport Department feed parser', () => {
  it('never throws on damaged real snapshots (cut, spliced, bytes flipped) and names every problem with a known code', () => {
    const damaged = fc.oneof(
      fc.nat({ max: EXCERPT.length }).map((at) => Buffer.from(EXCERPT.slice(0, at))),
      fc.tuple(fc.nat({ max: EXCERPT.length }), fc.oneof(fc.string({ unit: 'binary', maxLength: 40 }), fc.constantFrom('<', '&', ']]>', '<detector>', '</period>', '<period>', '<!DOCTYPE x [<!ENTITY a "b">]>', '&a;', '<![CDATA[', '\u0000', '<?xml version="1.0"?>')))
        .map(([at, junk]) => Buffer.from(EXCERPT.slice(0, at) + junk + EXCERPT.slice(at))),
      fc.tuple(fc.array(fc.nat({ max: EXCERPT.length - 1 }), { minLength: 1, maxLength: 8 }), fc.integer({ min: 0, max: 255 })).map(([offsets, byte]) => {
        const bytes = Buffer.from(EXCERPT);
        for (const at of offsets) bytes[at] = byte;
        return bytes;
      }),
      fc.uint8Array({ maxLength: 300 }),
    );
    fc.assert(fc.property(damaged, (bytes) => {
      const decoded = decodeXmlBytes(bytes);
      const parsed = parseTdXml(decoded.text);
      for (const problem of [...decoded.problems, ...parsed.problems]) expect(FEED_PROBLEM_CODES).toContain(problem.code);
      for (const period of parsed.periods) for (const detector of period.detectors) expect(detector.detectorId).not.toContain('\uFFFD');
      // The whole reading path (catalogue, aggregation, health) refuses with a clear error or reads.
      try {
        feed.read(bytes, { nowMs: NOW_MS, source: 'fuzz' });
      } catch (err) {
        expect((err as { code?: string }).code).toMatch(/^SW_CONNECTOR_/);
      }
    }), runs(400));
  });

  it('reads every well-formed feed it is given exactly, with no problems', () => {
    const escape = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
    const label = fc.stringMatching(/^[A-Za-z0-9&<>'" ]{1,20}$/).map((s) => s.trim()).filter((s) => s.length > 0);
    const decimal = (max: number): fc.Arbitrary<string> => fc.tuple(fc.integer({ min: 0, max }), fc.option(fc.integer({ min: 0, max: 9 }))).map(([i, d]) => (d === null || i === max ? String(i) : `${i}.${d}`));
    const lane = fc.record({ laneId: label, speed: decimal(299), occupancy: decimal(99), volume: fc.integer({ min: 0, max: 10_000 }).map(String), sd: decimal(299), valid: fc.boolean() });
    const detector = fc.record({ direction: label, lanes: fc.array(lane, { minLength: 1, maxLength: 4 }) });
    const periods = fc.uniqueArray(fc.integer({ min: 0, max: 2878 }), { minLength: 1, maxLength: 3 }).chain((starts) =>
      fc.tuple(...starts.map((start) => fc.uniqueArray(fc.integer({ min: 10_000, max: 99_999 }), { minLength: 1, maxLength: 5 }).chain((ids) =>
        fc.tuple(...ids.map(() => detector)).map((detectors) => ({ start, detectors: detectors.map((d, i) => ({ ...d, id: `AID${ids[i]}` })) }))))));
    const clock = (halfMinutes: number): string => new Date(halfMinutes * 30_000).toISOString().slice(11, 19);
    fc.assert(fc.property(periods, (list) => {
      const xml = `<?xml version="1.0" encoding="utf-8"?><raw_speed_volume_list><date>2024-04-06</date><periods>${list.map((p) =>
        `<period><period_from>${clock(p.start)}</period_from><period_to>${clock(p.start + 1)}</period_to><detectors>${p.detectors.map((d) =>
          `<detector><detector_id>${d.id}</detector_id><direction>${escape(d.direction)}</direction><lanes>${d.lanes.map((l) =>
            `<lane><lane_id>${escape(l.laneId)}</lane_id><speed>${l.speed}</speed><occupancy>${l.occupancy}</occupancy><volume>${l.volume}</volume><s.d.>${l.sd}</s.d.><valid>${l.valid ? 'Y' : 'N'}</valid></lane>`).join('')}</lanes></detector>`).join('')}</detectors></period>`).join('')}</periods></raw_speed_volume_list>`;
      const parsed = parseTdXml(decodeXmlBytes(Buffer.from(xml)).text);
      expect(parsed.problems).toEqual([]);
      expect(parsed.periods.map((p) => ({ from: p.from, detectors: p.detectors.map((d) => ({ id: d.detectorId, direction: d.direction, lanes: d.lanes.map((l) => [l.laneId, l.validInFeed, l.speedKmh, l.occupancyPct, l.volume, l.speedSdKmh]) })) })))
        .toEqual(list.map((p) => ({ from: clock(p.start), detectors: p.detectors.map((d) => ({ id: d.id, direction: d.direction, lanes: d.lanes.map((l) => [l.laneId, l.valid, Number(l.speed), Number(l.occupancy), Number(l.volume), Number(l.sd)]) })) })));
    }), runs(150));
  });
});

describe('fuzzing the settings parser', () => {
  const table = defineSettings({
    port: { env: 'PORT', flag: '--port', defaultValue: '3000', description: 'port', parse: integer(0, 65_535) },
    name: { env: 'NAME', flag: '--name', required: true, description: 'name', parse: text },
    id: { env: 'ID', flag: '--id', description: 'id', parse: pattern(/^[a-z0-9-]{1,20}$/, 'an id') },
    broker: { env: 'BROKER', flag: '--broker', defaultValue: 'mqtt://127.0.0.1:1883', description: 'broker', parse: url(['mqtt', 'mqtts']) },
    level: { env: 'LEVEL', flag: '--level', defaultValue: 'info', description: 'level', parse: oneOf(['info', 'debug'] as const) },
    migrate: { env: 'MIGRATE', flag: '--migrate', defaultValue: 'true', description: 'migrate', parse: bool },
  });
  const word = fc.oneof(fc.string({ unit: 'binary', maxLength: 30 }), fc.constantFrom('--port', '--name', '--id', '--broker', '--level', '--migrate', '--help', '-h', '--port=', '--name=x=y', '--__proto__', '--constructor', '=', '--', '-'), fc.integer().map(String));
  const env = fc.dictionary(fc.oneof(fc.constantFrom('PORT', 'NAME', 'ID', 'BROKER', 'LEVEL', 'MIGRATE', '__proto__', 'constructor'), fc.string({ maxLength: 8 })), fc.string({ unit: 'binary', maxLength: 30 }), { maxKeys: 6 });
  const names = new Set(Object.values(table.specs).flatMap((s) => [s.env, s.flag]));

  it('never throws on any argv and environment; a refusal lists each problem as SETTING | value | expected', () => {
    fc.assert(fc.property(fc.array(word, { maxLength: 8 }), env, (argv, environment) => {
      for (const parse of [(a: string[], e: NodeJS.ProcessEnv) => table.parse(a, e), parseIngestSettings]) {
        const parsed = parse(argv, environment);
        if (parsed.ok || parsed.help) continue;
        expect(parsed.problems.length).toBeGreaterThan(0);
        for (const problem of parsed.problems) expect(problem).toMatch(/^.* \| .*\| .+$/s);
      }
      const own = table.parse(argv, environment);
      if (!own.ok && !own.help) for (const problem of own.problems) expect(names.has(problem.split(' | ')[0]!) || problem.startsWith('-') || problem.includes('not a known flag')).toBe(true);
    }), runs(800));
  });

  it('reads every valid value, from a flag (both spellings) or the environment, exactly', () => {
    const values = fc.record({
      port: fc.integer({ min: 0, max: 65_535 }),
      name: fc.string({ minLength: 1, maxLength: 20 }).filter((s) => !s.startsWith('-')),
      id: fc.stringMatching(/^[a-z0-9-]{1,20}$/).filter((s) => !s.startsWith('-')),
      level: fc.constantFrom('info', 'debug'),
      migrate: fc.boolean(),
    });
    fc.assert(fc.property(values, fc.array(fc.constantFrom('flag', 'flag=', 'env'), { minLength: 5, maxLength: 5 }), (v, how) => {
      const argv: string[] = [];
      const environment: Record<string, string> = {};
      Object.entries(v).forEach(([key, value], i) => {
        const spec = table.specs[key as keyof typeof table.specs];
        const raw = String(value);
        if (how[i] === 'env') environment[spec.env] = raw;
        else if (how[i] === 'flag=') argv.push(`${spec.flag}=${raw}`);
        else argv.push(spec.flag, raw);
      });
      expect(table.parse(argv, environment)).toEqual({ ok: true, settings: { ...v, broker: 'mqtt://127.0.0.1:1883' } });
    }), runs(400));
    expect(INGEST_SETTINGS.parse(['--mqtt-url', 'mqtt://h:1', '--database-url=postgres://u@h/db'], {})).toMatchObject({ ok: true });
  });
});

describe('fuzzing the /api/v1 query validators (pure)', () => {
  const refusal = (run: () => unknown): string | undefined => {
    try {
      run();
      return undefined;
    } catch (err) {
      // Anything but an Error would be a crash, not a refusal.
      expect(err).toBeInstanceOf(Error);
      const api = toApiError(err as Error);
      expect(api.statusCode, String(err)).toBe(400);
      return api.code;
    }
  };
  const hostile = fc.oneof(fc.string({ unit: 'binary', maxLength: 40 }), fc.constantFrom("' OR 1=1 --", '2024-02-30', '2024-02-29T24:00:00Z', '9999-99-99T99:99:99Z', '2024-03-01T00:00:00+99:99', '\u202eR', 'R\u0000', '沙田', 'sha tin', '8a1fb46622dffff', ' 881fb46623fffff ', 'NaN'));

  it('a time range, district or H3 cell is read or refused with a 400 naming the parameter, never a crash', () => {
    fc.assert(fc.property(hostile, hostile, (a, b) => {
      const codes = [refusal(() => parseRange({ from: a, to: b }, NOW_MS)), refusal(() => resolveDistrict(a)), refusal(() => parseCell(b))];
      for (const code of codes) if (code !== undefined) expect(code).toMatch(/^SW_(API_BAD_PARAMETER|ANALYTICS_H3_[A-Z]+)$/);
    }), runs(800));
  });

  it('any error a route can throw becomes the one API error shape, and a 5xx tells nothing of its cause', () => {
    const issue = fc.record({ keyword: fc.string(), instancePath: fc.oneof(fc.constant('/limit'), fc.string()), message: fc.string(), params: fc.dictionary(fc.constantFrom('additionalProperty', 'missingProperty', 'allowedValues', 'allowedValue', 'x'), fc.jsonValue({ maxDepth: 2 })) }, { requiredKeys: [] });
    const source = fc.record({
      message: fc.string({ unit: 'binary', maxLength: 60 }),
      statusCode: fc.option(fc.oneof(fc.integer({ min: 0, max: 1000 }), fc.constantFrom(Number.NaN, 404.5, -1))),
      code: fc.option(fc.oneof(fc.string(), fc.constantFrom('SW_X', 'FST_ERR_VALIDATION', 'ECONNREFUSED'))),
      validation: fc.option(fc.array(issue, { maxLength: 3 })),
      validationContext: fc.option(fc.constantFrom('querystring', 'body', 'params', 'headers', '__proto__')),
    });
    fc.assert(fc.property(source, (s) => {
      const err = Object.assign(new Error(s.message), Object.fromEntries(Object.entries(s).filter(([k, v]) => k !== 'message' && v !== null)));
      const body = toApiError(err);
      expect(body.statusCode >= 400 && body.statusCode <= 599).toBe(true);
      expect(typeof body.code === 'string' && typeof body.message === 'string' && typeof body.error === 'string').toBe(true);
      if (body.statusCode >= 500) expect(body).toEqual({ statusCode: body.statusCode, error: body.error, code: 'SW_API_INTERNAL', message: 'internal error; see the server log' });
      if (body.parameter !== undefined) expect(typeof body.parameter).toBe('string');
    }), runs(800));
  });

  it('accepts every valid instant, district name and cell', () => {
    const instant = fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2100, 0, 1) }).map((ms) => new Date(ms).toISOString());
    fc.assert(fc.property(instant, instant, (a, b) => {
      const [from, to] = a <= b ? [a, b] : [b, a];
      expect(parseRange({ from, to }, NOW_MS)).toEqual({ fromMs: Date.parse(from), toMs: Date.parse(to) });
    }), runs(300));
    for (const district of listDistricts()) for (const name of [district.nameEn, district.nameZh, district.code]) expect(resolveDistrict(name).code).toBe(district.code);
    const place = fc.record({ lat: fc.double({ min: 22.15, max: 22.55, noNaN: true }), lon: fc.double({ min: 113.85, max: 114.4, noNaN: true }), res: fc.integer({ min: H3_MIN_RESOLUTION, max: H3_MAX_RESOLUTION }) });
    fc.assert(fc.property(place, ({ lat, lon, res }) => {
      const cell = cellOf(lat, lon, res);
      expect(parseCell(cell.toUpperCase())).toBe(cell);
    }), runs(300));
  });
});
