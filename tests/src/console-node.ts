import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { REPO_ROOT } from './spawn-stack.js';
import { TEST_SCRYPT_COST } from './console-auth.js';

/**
 * One console node as its own process, so a test can SIGKILL it. console/dist/main.js insists on
 * TimescaleDB, which the machine's plain PostgreSQL lacks: this runs the same build() and listen() on
 * a plain server, with the test's scrypt cost and without the analytics routes (their tables are
 * TimescaleDB's continuous aggregates).
 */
const PROGRAM = `
import { createServerDatabase } from '@streetwise/db';
import { build, listen } from '@streetwise/console';
const env = process.env;
const db = await createServerDatabase({ connectionString: env.DATABASE_URL, requireTimescale: false, max: 4 });
const app = await build({ db, redisUrl: env.REDIS_URL, accounts: { scryptCost: JSON.parse(env.SCRYPT_COST), loginRateLimit: 1000 }, analytics: false });
const { url } = await listen(app, 0);
process.stdout.write(JSON.stringify({ ready: url }) + '\\n');
`;

export interface ConsoleNode {
  child: ChildProcess;
  url: string;
  port: number;
  kill(signal: NodeJS.Signals): Promise<void>;
}

export async function spawnConsoleNode(databaseUrl: string, redisUrl: string, timeoutMs = 60_000): Promise<ConsoleNode> {
  const child = spawn(process.execPath, ['--input-type=module', '-e', PROGRAM], {
    cwd: REPO_ROOT,
    env: { ...process.env, DATABASE_URL: databaseUrl, REDIS_URL: redisUrl, SCRYPT_COST: JSON.stringify(TEST_SCRYPT_COST) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`console node not ready within ${timeoutMs} ms: ${stderr}`)), timeoutMs);
    child.stdout.setEncoding('utf8').on('data', (text: string) => {
      out += text;
      const line = out.split('\n').find((l) => l.startsWith('{"ready"'));
      if (!line) return;
      clearTimeout(timer);
      resolve((JSON.parse(line) as { ready: string }).ready);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`console node exited with ${code} before it was ready: ${stderr}`));
    });
  });
  return {
    child,
    url,
    port: Number(new URL(url).port),
    async kill(signal) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, 'exit');
      child.kill(signal);
      await exited;
    },
  };
}
