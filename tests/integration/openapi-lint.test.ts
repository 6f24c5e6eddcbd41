/**
 * The console's OpenAPI document (/docs/json, the analytics API included) passes Redocly's `recommended`
 * rules with the exceptions in redocly.yaml (each justified there): no error and no warning.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { createEmbeddedDatabase, migrate, type Database } from '@streetwise/db';
import { build } from '@streetwise/console';
import { REPO_ROOT } from '../src/spawn-stack.js';

const REDOCLY_CLI = join(dirname(createRequire(import.meta.url).resolve('@redocly/cli/package.json')), 'bin', 'cli.js');

interface LintReport {
  totals: { errors: number; warnings: number; ignored: number };
  problems: Array<{ ruleId: string; severity: string; message: string; location: Array<{ pointer?: string }> }>;
}
interface Operation {
  operationId?: string;
  responses: Record<string, unknown>;
}

describe('OpenAPI document', () => {
  let db: Database;
  let app: FastifyInstance;
  let dir: string;
  let spec: { servers?: unknown[]; paths: Record<string, Record<string, Operation>>; components?: { schemas?: Record<string, unknown> } };
  let file: string;

  beforeAll(async () => {
    db = await createEmbeddedDatabase({ dataDir: 'memory://' });
    await migrate(db);
    app = await build({ db });
    const res = await app.inject('/docs/json');
    expect(res.statusCode).toBe(200);
    spec = res.json();
    dir = mkdtempSync(join(tmpdir(), 'streetwise-openapi-'));
    file = join(dir, 'openapi.json');
    writeFileSync(file, res.body);
  });
  afterAll(async () => {
    await app?.close();
    await db?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('passes redocly lint (recommended) with no error and no warning', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, [REDOCLY_CLI, 'lint', file, '--config', join(REPO_ROOT, 'redocly.yaml'), '--format=json'], {
      env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true', NO_COLOR: '1' },
      maxBuffer: 16 * 1024 * 1024,
    }).catch((err: { stdout?: string; stderr?: string }) => {
      // Exit code 1 means problems were found: the report is still on stdout.
      if (!err.stdout) throw err;
      return { stdout: err.stdout };
    });
    const report = JSON.parse(stdout) as LintReport;
    const problems = report.problems.map((p) => `${p.severity} ${p.ruleId} at ${p.location[0]?.pointer ?? '?'}: ${p.message}`);
    expect(problems).toEqual([]);
    expect(report.totals).toMatchObject({ errors: 0, warnings: 0 });
  });

  it('names every operation (unique camelCase operationId) and gives every /api/v1 operation a 4xx answer of the one error shape', () => {
    const operations = Object.entries(spec.paths).flatMap(([path, item]) => Object.entries(item).map(([method, op]) => ({ path, method, op })));
    expect(operations.length).toBeGreaterThan(20);
    const ids = operations.map(({ op }) => op.operationId);
    for (const id of ids) expect(id).toMatch(/^[a-z][a-zA-Z0-9]*$/);
    expect(new Set(ids).size).toBe(ids.length);
    const without4xx = operations.filter(({ path, op }) => path.startsWith('/api/v1/') && !Object.keys(op.responses).some((code) => /^4\d\d$/.test(code)));
    expect(without4xx.map(({ method, path }) => `${method} ${path}`)).toEqual([]);
    expect(JSON.stringify(spec.paths['/api/v1/devices']?.['get']?.responses['400'])).toContain('#/components/schemas/ApiError');
    expect(spec.components?.schemas?.['ApiError']).toMatchObject({ required: ['statusCode', 'error', 'code', 'message'] });
    expect(spec.servers).toHaveLength(1);
  });
});
