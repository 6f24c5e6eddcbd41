/**
 * The operators' web app for browser tests: built once (Vite, about a second) when console/web/dist has no
 * build yet, as `npm test` and `npm start` would have built it.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const WEB_APP_DIR = fileURLToPath(new URL('../../console/web/', import.meta.url));

export function ensureWebAppBuilt(): void {
  if (existsSync(`${WEB_APP_DIR}dist/index.html`)) return;
  // vite's package exports do not list its bin: resolve its package.json and take the bin beside it.
  const vite = join(dirname(createRequire(`${WEB_APP_DIR}package.json`).resolve('vite/package.json')), 'bin', 'vite.js');
  const built = spawnSync(process.execPath, [vite, 'build', '--logLevel', 'warn'], { cwd: WEB_APP_DIR, stdio: 'inherit' });
  if (built.status !== 0) throw new Error('building the web app (console/web) failed: see the output above');
}
