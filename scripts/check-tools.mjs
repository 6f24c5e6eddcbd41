#!/usr/bin/env node
// `npm test` runs this first: it names, within seconds, every tool only the operating system provides that the
// tests use, and every local service they talk to, that is missing, instead of a test dying minutes in with
// `spawn … ENOENT`. `npm run setup` (scripts/setup.sh, as root on Debian/Ubuntu) installs and starts them all.
// Plain JavaScript, no dependencies: it runs before `tsc --build` and works without node_modules.
import { execFile } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { connect } from 'node:net';
import { delimiter, join } from 'node:path';
import { pathToFileURL } from 'node:url';

const PROBE_TIMEOUT_MS = 5000;

/** Is `name` an executable file: an absolute path, or a command on PATH (plus the sbin folders, where Debian puts mosquitto)? */
function findExecutable(name) {
  const dirs = name.startsWith('/') ? [''] : [...(process.env.PATH ?? '').split(delimiter), '/usr/local/sbin', '/usr/sbin', '/sbin'];
  for (const dir of dirs) {
    try {
      accessSync(dir ? join(dir, name) : name, constants.X_OK);
      return true;
    } catch {
      // not in this folder
    }
  }
  return false;
}

/** Resolves to what the command printed on stdout, or undefined when it could not run or failed. */
function output(file, args) {
  return new Promise((resolve) => {
    execFile(file, args, { timeout: PROBE_TIMEOUT_MS }, (err, stdout) => resolve(err ? undefined : stdout));
  });
}

/** Resolves true when something accepts TCP connections on 127.0.0.1:port. */
function listening(port) {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    const done = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(PROBE_TIMEOUT_MS, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** What the tests use from the OS: the check, what uses it, and the Debian package that provides it. */
export const REQUIREMENTS = [
  { name: `Chromium (${chromium})`, usedBy: 'console tests in a headless browser', install: 'apt-get install chromium', check: async () => findExecutable(chromium) },
  {
    name: 'CJK fonts (fc-list :lang=zh)',
    usedBy: 'console pages drawn in Chromium with Chinese district and road names',
    install: 'apt-get install fonts-noto-cjk',
    check: async () => ((await output('fc-list', [':lang=zh', 'family'])) ?? '').trim() !== '',
  },
  { name: 'mosquitto', usedBy: 'ingest tests that start their own Mosquitto', install: 'apt-get install mosquitto', check: async () => findExecutable('mosquitto') },
  { name: 'mosquitto_pub', usedBy: 'hostile-input tests (a real MQTT 3.1.1 client)', install: 'apt-get install mosquitto-clients', check: async () => findExecutable('mosquitto_pub') },
  { name: 'openssl', usedBy: 'TLS tests (a throw-away CA and server certificates)', install: 'apt-get install openssl', check: async () => findExecutable('openssl') },
  { name: 'psql (/usr/bin/psql)', usedBy: 'wire-protocol and stack tests', install: 'apt-get install postgresql-client', check: async () => findExecutable('/usr/bin/psql') },
  {
    name: 'Python ONNX (/usr/bin/python3 -c "import onnx")',
    usedBy: 'tests that build small ONNX models',
    install: 'apt-get install python3-onnx',
    check: async () => (await output('/usr/bin/python3', ['-c', 'import onnx'])) !== undefined,
  },
  { name: 'Mosquitto on 127.0.0.1:1883', usedBy: 'ingest and ack-window tests', install: 'mosquitto -d -c /etc/mosquitto/mosquitto.conf', check: () => listening(1883) },
  { name: 'PostgreSQL on 127.0.0.1:5432 (user postgres, no password)', usedBy: 'pg adapter tests', install: 'pg_ctlcluster --skip-systemctl-redirect <version> main start', check: () => listening(5432) },
  { name: 'Redis on 127.0.0.1:6379', usedBy: 'console scale-out tests', install: 'redis-server --daemonize yes --port 6379', check: () => listening(6379) },
];

export async function missingRequirements(requirements = REQUIREMENTS) {
  const present = await Promise.all(requirements.map((r) => r.check()));
  return requirements.filter((_, i) => !present[i]);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const started = Date.now();
  const missing = await missingRequirements();
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (missing.length === 0) {
    console.log(`check-tools: all ${REQUIREMENTS.length} OS tools and services the tests use are here (${seconds} s)`);
  } else {
    console.error(`check-tools: ${missing.length} of the OS tools and services the tests use ${missing.length === 1 ? 'is' : 'are'} missing:`);
    for (const m of missing) console.error(`  ${m.name} | for ${m.usedBy} | ${m.install}`);
    console.error('Install and start them all with `npm run setup` (as root, Debian/Ubuntu), then run `npm test` again.');
    process.exitCode = 1;
  }
}
