// What every workspace bin does (edge-agent/bin, console/bin, simulators/bin, stack/bin). npm links a
// workspace's bins at install time, before any build, and skips a bin whose file does not exist yet; so each
// bin is a small committed file that calls this: run the package's built CLI, building the package first in a
// source checkout that has not been built (as `npm start` and `npm run …` do). --force: a build whose record
// says it is up to date does not write again an output file that was deleted.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * @param {string} name the command's name, for messages
 * @param {URL} entry the built CLI (`new URL('../dist/cli.js', import.meta.url)` from the bin)
 * @param {{ webApp?: boolean }} [options] webApp: the command serves the operators' web app (console/web),
 *   so build that too (Vite, a few seconds) when it has no build yet
 */
export async function launchBin(name, entry, options = {}) {
  if (options.webApp) buildWebAppIfMissing(name);
  if (!existsSync(entry)) {
    const packageDir = fileURLToPath(new URL('..', entry));
    let tsc;
    try {
      tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
    } catch {
      process.stderr.write(`${name} is not built yet, and TypeScript is not installed here: run \`npm install\` then \`npm run build\` in the repository root.\n`);
      process.exit(1);
    }
    process.stderr.write(`${name} is not built yet: building it once (tsc --build --force ${packageDir})…\n`);
    const started = Date.now();
    const built = spawnSync(process.execPath, [tsc, '--build', '--force', packageDir], { stdio: 'inherit' });
    if (built.status !== 0 || !existsSync(entry)) {
      process.stderr.write(`${name}: the build failed (see above); fix it, or run \`npm run build\` in the repository root.\n`);
      process.exit(1);
    }
    process.stderr.write(`${name}: built in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  }
  await import(entry.href);
}

/** The console serves console/web/dist; without it, `/` only says how to build it. */
function buildWebAppIfMissing(name) {
  const webDir = fileURLToPath(new URL('../console/web/', import.meta.url));
  if (existsSync(`${webDir}dist/index.html`)) return;
  let vite;
  try {
    // vite's package exports do not list its bin: resolve its package.json and take the bin beside it.
    vite = join(dirname(createRequire(`${webDir}package.json`).resolve('vite/package.json')), 'bin', 'vite.js');
  } catch {
    process.stderr.write(`${name}: the web app is not built and Vite is not installed here: run \`npm install\` then \`npm run build\` in the repository root.\n`);
    return;
  }
  process.stderr.write(`${name}: the web app is not built yet: building it once (vite build in ${webDir})…\n`);
  const built = spawnSync(process.execPath, [vite, 'build', '--logLevel', 'warn'], { cwd: webDir, stdio: 'inherit' });
  if (built.status !== 0) process.stderr.write(`${name}: building the web app failed (see above); the console starts without it.\n`);
}
