import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// Through the package (dist), like @streetwise/simulators does: one copy of the error catalogue.
import { parseSeriesCsv } from '@streetwise/models';

const run = promisify(execFile);
const CLI = fileURLToPath(new URL('../dist/forecast-cli.js', import.meta.url));
const METR_LA = fileURLToPath(new URL('../data/metr-la/', import.meta.url));
/** Stated bound for the held-out sensor the CLI test evaluates: the model's speed MAE is this much below last value's at every horizon. */
const MIN_SKILL_HELD_OUT_SENSOR = 0.05;

describe('npm run forecast', () => {
  let dir = '';
  let csv = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sw-forecast-'));
    // Three days of a plain daily cycle (no simulators here: they depend on this package): busy by day, quiet at night.
    const start = Date.UTC(2025, 2, 2, 16, 0);
    const points = Array.from({ length: 3 * 288 }, (_, i) => {
      const day = Math.sin((2 * Math.PI * (i % 288)) / 288 - Math.PI / 2);
      return { timeMs: start + i * 300_000, speedKmh: Math.round(55 - 15 * Math.max(0, day)), flow: Math.round(40 + 60 * Math.max(0, day)) };
    });
    csv = join(dir, 'series.csv');
    await writeFile(csv, `timestamp,speed,flow\n${points.map((p) => `${new Date(p.timeMs).toISOString()},${p.speedKmh},${p.flow}`).join('\n')}\n`);
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('prints forecasts and a rolling-origin evaluation as JSON', async () => {
    const { stdout } = await run(process.execPath, [CLI, '--input', csv, '--evaluate', '--json']);
    const out = JSON.parse(stdout) as { forecasts: Array<{ minutes: number; speedKmh: number; flow?: number }>; horizons: Array<Record<string, number>> };
    expect(out.forecasts.map((f) => f.minutes)).toEqual([15, 30, 60]);
    expect(out.forecasts.every((f) => typeof f.flow === 'number')).toBe(true);
    expect(out.horizons.map((h) => h.minutes)).toEqual([15, 30, 60]);
    for (const h of out.horizons) {
      for (const key of ['mae_model', 'mae_ha', 'mae_last', 'mae_model_flow', 'mae_ha_flow', 'mae_last_flow']) expect(h[key]).toBeGreaterThanOrEqual(0);
    }
  });

  it('evaluates a held-out METR-LA sensor (wide mph table, Los Angeles time) and reports skill against the better baseline', async () => {
    const split = JSON.parse(await readFile(join(METR_LA, 'split.json'), 'utf8')) as { held_out: string[] };
    const sensor = split.held_out[1]!;
    const { stdout } = await run(process.execPath, [CLI, '--input', join(METR_LA, 'speed_5min_odd_sensors.csv'), '--column', sensor, '--units', 'mph', '--utc-offset=-8', '--evaluate', '--json']);
    const out = JSON.parse(stdout) as { hasFlow: boolean; origins: number; horizons: Array<{ minutes: number; mae_model: number; mae_ha: number; mae_last: number; skill: number; better_baseline: string }> };
    expect(out.hasFlow).toBe(false);
    expect(out.origins).toBe(2016 - 288 - 12);
    expect(out.horizons.map((h) => h.minutes)).toEqual([15, 30, 60]);
    for (const h of out.horizons) {
      // A week of history makes historical average the weak baseline on real roads.
      expect(h.better_baseline).toBe('last_value');
      expect(h.mae_last).toBeLessThan(h.mae_ha);
      expect(h.skill).toBeCloseTo(1 - h.mae_model / h.mae_last, 2);
      expect(h.skill).toBeGreaterThan(MIN_SKILL_HELD_OUT_SENSOR);
    }
  });

  it('names the columns when --column is not one of them', async () => {
    const err = (await run(process.execPath, [CLI, '--input', join(METR_LA, 'speed_5min_odd_sensors.csv'), '--column', 'nope', '--units', 'mph']).catch((e: unknown) => e)) as { code: number; stderr: string };
    expect(err.code).toBe(1);
    expect(err.stderr).toMatch(/SW_MODEL_FLAG_INVALID: --column \| nope \| a sensor column of .*: 767541, 717447/);
  });

  it('explains a bad series and exits non-zero', async () => {
    const bad = join(dir, 'bad.csv');
    await writeFile(bad, 'timestamp,speed\n2025-01-01T00:00:00Z,50\n2025-01-01T00:10:00Z,51\n');
    const err = (await run(process.execPath, [CLI, '--input', bad]).catch((e: unknown) => e)) as { code: number; stderr: string };
    expect(err.code).toBe(1);
    expect(err.stderr).toMatch(/SW_MODEL_SERIES_INVALID: .*line 3: .* 10 min after the previous row/);
  });
});

describe('series CSV', () => {
  it('reads zone-less timestamps as local time (UTC+8 by default) and speed-only rows', () => {
    const { rows, hasFlow } = parseSeriesCsv('2025-01-01T08:00,50\n2025-01-01T08:05,52\n');
    expect(hasFlow).toBe(false);
    expect(new Date(rows[0]!.timeMs).toISOString()).toBe('2025-01-01T00:00:00.000Z');
    expect(rows[1]!.flow).toBeUndefined();
  });

  it('refuses mixed rows and bad headers', () => {
    expect(() => parseSeriesCsv('2025-01-01T00:00Z,50,10\n2025-01-01T00:05Z,52\n')).toThrow(/every row or on none/);
    expect(() => parseSeriesCsv('time,speed\n')).toThrow(/header/);
  });
});
