/**
 * The soak's 2-minute smoke version (`npm run soak -- --minutes 2 --warmup 0.5`, a lower rate): it runs the
 * real stack under load with the console in headless Chromium and writes its report. Checked: the report's
 * shape, every sample present and sane, the plot a PNG, and the exit code agreeing with the report's verdict.
 * Not checked: speed or the slope's size (a shared machine; two minutes say nothing about a leak).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../src/spawn-stack.js';

interface Report {
  minutes: number;
  warmupMinutes: number;
  intervalS: number;
  expectedSamples: number;
  missingSamples: number;
  eventsPublished: number;
  eventsStored: number;
  samples: Array<Record<string, number>>;
  slopes: { heapMbPer10Min: number; rssMbPer10Min: number; samplesFitted: number };
  heapSlopeOk: boolean;
  files: Record<'report' | 'samples' | 'plot' | 'table', string>;
}

const SAMPLE_FIELDS = ['tS', 'rssMb', 'heapAfterGcMb', 'loopLagP99Ms', 'loopLagMaxMs', 'loopLagMeanMs', 'eventsStored'];

describe('npm run soak (2-minute smoke)', () => {
  const out = mkdtempSync(join(tmpdir(), 'sw-soak-smoke-'));
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it('samples every 10 s without a gap and reports slopes, a table and a PNG plot', async () => {
    const script = join(REPO_ROOT, 'tests/dist/soak/main.js');
    const child = spawn(process.execPath, [script, '--minutes', '2', '--warmup', '0.5', '--rate', '200', '--devices', '50', '--out', out], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(existsSync(join(out, 'report.json')), `no report; stderr:\n${stderr.slice(-3000)}`).toBe(true);
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as Report;
    // Exit 0 when the heap slope is within its limit, 3 when not: the code follows the report's verdict.
    expect(code, stderr.slice(-3000)).toBe(report.heapSlopeOk ? 0 : 3);
    expect(report.minutes).toBe(2);
    expect(report.warmupMinutes).toBe(0.5);
    expect(report.expectedSamples).toBe(12);
    expect(report.missingSamples).toBe(0);
    expect(report.samples).toHaveLength(12);
    for (const [k, sample] of report.samples.entries()) {
      expect(Object.keys(sample).sort()).toEqual([...SAMPLE_FIELDS].sort());
      for (const field of SAMPLE_FIELDS) expect(Number.isFinite(sample[field]), `${field} of sample ${k}`).toBe(true);
      // Due at 10 s, 20 s, …: a sample is never early and never as late as the next one's time.
      expect(sample['tS']).toBeGreaterThanOrEqual((k + 1) * 10 - 0.05);
      expect(sample['tS']).toBeLessThan((k + 2) * 10);
      expect(sample['rssMb']).toBeGreaterThan(sample['heapAfterGcMb']!);
    }
    // The load reached the database while sampling: what was stored grows.
    expect(report.samples.at(-1)!['eventsStored']).toBeGreaterThan(report.samples[0]!['eventsStored']!);
    expect(report.eventsStored).toBeGreaterThan(0);
    expect(report.eventsStored).toBeLessThanOrEqual(report.eventsPublished);
    // Fitted after the 30-s warm-up: the samples at 30 s … 120 s.
    expect(report.slopes.samplesFitted).toBe(10);
    expect(Number.isFinite(report.slopes.heapMbPer10Min)).toBe(true);
    expect(Number.isFinite(report.slopes.rssMbPer10Min)).toBe(true);
    const plot = await sharp(report.files.plot).metadata();
    expect(plot.format).toBe('png');
    expect(plot.width).toBeGreaterThan(500);
    expect(readFileSync(report.files.table, 'utf8')).toContain('heap after GC, slope after warm-up');
    expect(readFileSync(report.files.samples, 'utf8').trim().split('\n')).toHaveLength(13);
    expect(stdout).toContain('RSS, slope after warm-up');
  }, 420_000);
});
