#!/usr/bin/env node
// The committed bin of this package. npm links a workspace's bins at install time, before any build, and
// skips a bin whose file does not exist yet; so the bin is this file, which runs the built CLI, building it
// first in a source checkout that has not been built (as `npm start` and `npm run …` do).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const NAME = 'streetwise-console';
const entry = new URL('../dist/main.js', import.meta.url);

if (!existsSync(entry)) {
  const packageDir = fileURLToPath(new URL('..', import.meta.url));
  let tsc;
  try {
    tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  } catch {
    process.stderr.write(`${NAME} is not built yet, and TypeScript is not installed here: run \`npm install\` then \`npm run build\` in the repository root.\n`);
    process.exit(1);
  }
  process.stderr.write(`${NAME} is not built yet: building it once (tsc --build ${packageDir})…\n`);
  const started = Date.now();
  const built = spawnSync(process.execPath, [tsc, '--build', packageDir], { stdio: 'inherit' });
  if (built.status !== 0 || !existsSync(entry)) {
    process.stderr.write(`${NAME}: the build failed (see above); fix it, or run \`npm run build\` in the repository root.\n`);
    process.exit(1);
  }
  process.stderr.write(`${NAME}: built in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
}
await import(entry.href);
