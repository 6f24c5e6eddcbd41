import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { REPO_ROOT } from '../spawn-stack.js';

export interface IngestProcess {
  child: ChildProcess;
  /** http://host:port of its /metrics and /health. */
  opsUrl: string;
  stderr(): string;
  kill(signal: NodeJS.Signals): Promise<void>;
}

/** Start `node ingest/dist/main.js` with these settings and wait for its ready line. */
export async function spawnIngest(env: Record<string, string>, timeoutMs = 60_000): Promise<IngestProcess> {
  const child = spawn(process.execPath, [join(REPO_ROOT, 'ingest', 'dist', 'main.js')], {
    cwd: REPO_ROOT,
    env: { ...process.env, LOG_LEVEL: 'warn', INGEST_PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
  const opsUrl = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`ingest not ready within ${timeoutMs} ms: ${stderr}`)), timeoutMs);
    child.stdout.setEncoding('utf8').on('data', (text: string) => {
      out += text;
      for (const line of out.split('\n')) {
        if (!line.startsWith('{"ready"')) continue;
        clearTimeout(timer);
        resolve((JSON.parse(line) as { opsUrl: string }).opsUrl);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`ingest exited with ${code} before it was ready: ${stderr}`));
    });
  });
  return {
    child,
    opsUrl,
    stderr: () => stderr,
    async kill(signal) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, 'exit');
      child.kill(signal);
      await exited;
    },
  };
}

export interface DrainRun {
  code: number | null;
  /** The drain program's JSON report (see ingest's DrainReport). */
  report: { outcome: string; sessionsFound: number; sessionsEnded: boolean; messages: { stored: number; duplicate: number; deadLetter: number; ignored: number }; busySeconds: number; seconds: number } | null;
  stderr: string;
  /** Wall time of the whole program (start-up, drain, exit), ms. */
  wallMs: number;
}

/** Run `node ingest/dist/drain/drain-main.js` (what `npm run ingest:drain` runs, without the build) to its end. */
export async function runDrain(env: Record<string, string>): Promise<DrainRun> {
  const startedMs = performance.now();
  const child = spawn(process.execPath, [join(REPO_ROOT, 'ingest', 'dist', 'drain', 'drain-main.js')], {
    cwd: REPO_ROOT,
    env: { ...process.env, LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (text: string) => (stdout += text));
  child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
  const [code] = (await once(child, 'exit')) as [number | null];
  const line = stdout.split('\n').find((l) => l.startsWith('{"outcome"'));
  return { code, report: line ? (JSON.parse(line) as DrainRun['report']) : null, stderr, wallMs: performance.now() - startedMs };
}
