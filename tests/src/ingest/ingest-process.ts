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
