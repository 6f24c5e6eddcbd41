#!/usr/bin/env node
/**
 * npm run devices -- <command>: the credential registry from the command line.
 *   add ID [--gateway --scope "sim-*,cam-7"] [--kind downlink|ingest]   provision; prints the secret once
 *   rotate ID [--grace 24h]                                           new secret; the old one works for the grace
 *   revoke ID | block ID | unblock ID | list
 *   mosquitto-config --out DIR [--prefix streetwise]                  password file + ACL for Mosquitto
 * Against DATABASE_URL, or the embedded database under DATA_DIR (stop `npm start` first: it holds the data dir).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createDatabase, migrate, type Database } from '@streetwise/db';
import { isStreetwiseError } from '@streetwise/errors';
import { SW_IDENTITY_USAGE } from './errors.js';
import { buildMosquittoFiles } from './mosquitto-config.js';
import { listCredentials, loadMosquittoUsers, provisionCredential, rotateCredential, setCredentialStatus } from './registry.js';
import { parseScope } from './scope.js';
import { CREDENTIAL_KINDS, type CredentialKind } from './types.js';

export const DEVICES_USAGE = `Usage: npm run devices -- <command> [flags]

Commands:
  add ID [--gateway --scope LIST] [--kind KIND]   provision a credential; its secret is printed once
                                                   (--scope: device ids or "prefix*", comma-separated)
  rotate ID [--grace 24h]                          issue a new secret; the old one stays valid for the grace (default 24h; 0 = none)
  revoke ID                                        no secret of ID works any more ("rotate ID" issues a new one)
  block ID                                         refuse ID even with a valid secret, until "unblock ID"; ingest dead-letters its messages too
  unblock ID
  list                                             every credential: kind, status, scope, dates
  mosquitto-config --out DIR [--prefix P]          write DIR/passwords and DIR/acl for Mosquitto

Kinds: device (default; username = device id = client id), gateway (speaks for its scope),
downlink (writes config topics only, e.g. the console), ingest (reads uplinks on an external broker).

Settings: DATABASE_URL (a PostgreSQL+TimescaleDB server) or DATA_DIR (the embedded database, default ./data).
`;

const DURATION = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)$/;
const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

export function parseDurationMs(raw: string): number {
  if (raw === '0') return 0;
  const m = DURATION.exec(raw.trim());
  if (m === null) throw SW_IDENTITY_USAGE([`--grace | ${raw} | a duration such as 30m, 24h or 7d (0 = none)`]);
  return Math.round(Number(m[1]) * UNIT_MS[m[2]!]!);
}

interface Command {
  name: string;
  id: string | undefined;
  flags: { gateway: boolean; kind: string | undefined; scope: string | undefined; grace: string; out: string | undefined; prefix: string };
}

export function parseCommand(argv: readonly string[]): Command {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        gateway: { type: 'boolean' },
        kind: { type: 'string' },
        scope: { type: 'string' },
        grace: { type: 'string' },
        out: { type: 'string' },
        prefix: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (err) {
    throw SW_IDENTITY_USAGE([(err as Error).message]);
  }
  const [name, id, extra] = parsed.positionals;
  if (parsed.values.help || name === undefined || name === 'help') return { name: 'help', id: undefined, flags: defaults() };
  if (extra !== undefined) throw SW_IDENTITY_USAGE([`unexpected "${extra}"; one id per command`]);
  const needsId = ['add', 'rotate', 'revoke', 'block', 'unblock'];
  if (needsId.includes(name) && id === undefined) throw SW_IDENTITY_USAGE([`"${name}" needs an id, e.g. npm run devices -- ${name} cam-central-01`]);
  if (![...needsId, 'list', 'mosquitto-config'].includes(name)) throw SW_IDENTITY_USAGE([`unknown command "${name}"; see --help`]);
  return {
    name,
    id,
    flags: {
      gateway: parsed.values.gateway === true,
      kind: parsed.values.kind,
      scope: parsed.values.scope,
      grace: parsed.values.grace ?? '24h',
      out: parsed.values.out,
      prefix: parsed.values.prefix ?? 'streetwise',
    },
  };
}

function defaults(): Command['flags'] {
  return { gateway: false, kind: undefined, scope: undefined, grace: '24h', out: undefined, prefix: 'streetwise' };
}

/** Run one command; returns what to print on stdout. */
export async function runCommand(db: Database, command: Command): Promise<string> {
  const { name, id, flags } = command;
  switch (name) {
    case 'add': {
      const kind = (flags.gateway ? 'gateway' : flags.kind ?? 'device') as CredentialKind;
      if (!CREDENTIAL_KINDS.includes(kind)) throw SW_IDENTITY_USAGE([`--kind | ${kind} | one of ${CREDENTIAL_KINDS.join(', ')}`]);
      if (kind === 'gateway' && flags.scope === undefined) throw SW_IDENTITY_USAGE(['a gateway needs --scope: the device ids (or "prefix*") it may speak for']);
      const scope = flags.scope === undefined ? [] : parseScope(flags.scope);
      const issued = await provisionCredential(db, { id: id!, kind, scope });
      return secretText(issued.id, issued.kind, issued.token, 'provisioned');
    }
    case 'rotate': {
      const graceMs = parseDurationMs(flags.grace);
      const issued = await rotateCredential(db, id!, graceMs);
      return `${secretText(issued.id, issued.kind, issued.token, 'rotated')}${graceMs > 0 ? `The previous secret stays valid for ${flags.grace}.\n` : 'The previous secret no longer works.\n'}`;
    }
    case 'revoke':
    case 'block':
    case 'unblock':
      await setCredentialStatus(db, id!, name === 'revoke' ? 'revoked' : name === 'block' ? 'blocked' : 'active');
      return `${id}: ${name === 'unblock' ? 'active again' : name === 'revoke' ? 'revoked' : 'blocked'}; a running embedded broker applies it at once\n`;
    case 'list': {
      const rows = await listCredentials(db);
      if (rows.length === 0) return 'no credentials yet; "add ID" provisions one\n';
      const lines = rows.map((r) =>
        [r.id.padEnd(24), r.kind.padEnd(8), r.status.padEnd(7), (r.scope.join(',') || '-').padEnd(20), r.createdAt.toISOString(), r.rotatedAt?.toISOString() ?? '-', r.previousValidUntil && r.previousValidUntil.getTime() > Date.now() ? `old secret valid until ${r.previousValidUntil.toISOString()}` : ''].join('  ').trimEnd(),
      );
      return `${['id'.padEnd(24), 'kind'.padEnd(8), 'status'.padEnd(7), 'scope'.padEnd(20), 'created'.padEnd(24), 'rotated'].join('  ')}\n${lines.join('\n')}\n`;
    }
    case 'mosquitto-config': {
      if (flags.out === undefined) throw SW_IDENTITY_USAGE(['mosquitto-config needs --out DIR']);
      const users = await loadMosquittoUsers(db);
      const known = (await db.query<{ id: string }>('SELECT id FROM devices UNION SELECT id FROM device_credentials WHERE kind = $1', ['device'])).rows.map((r) => r.id);
      const files = buildMosquittoFiles(users, known, flags.prefix);
      mkdirSync(flags.out, { recursive: true });
      writeFileSync(join(flags.out, 'passwords'), files.passwords, { mode: 0o600 });
      writeFileSync(join(flags.out, 'acl'), files.acl);
      return [
        `wrote ${join(flags.out, 'passwords')} (${users.length} users) and ${join(flags.out, 'acl')}`,
        ...files.warnings.map((w) => `warning: ${w}`),
        'In mosquitto.conf: allow_anonymous false, password_file <that passwords>, acl_file <that acl>; then reload Mosquitto (SIGHUP).',
        '',
      ].join('\n');
    }
    default:
      return DEVICES_USAGE;
  }
}

function secretText(id: string, kind: CredentialKind, token: string, what: string): string {
  return [
    `${id} (${kind}) ${what}. Its secret, shown this once (the registry keeps only its SHA-256):`,
    '',
    `  ${token}`,
    '',
    kind === 'device'
      ? `Give it to the device: STREETWISE_DEVICE_TOKEN=<secret>, or a file named in its config (mqtt.credentialFile). MQTT username and client id: ${id}.`
      : `MQTT username: ${id}; password: the secret.`,
    '',
  ].join('\n');
}

async function main(): Promise<number> {
  let command: Command;
  try {
    command = parseCommand(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n\n${DEVICES_USAGE}`);
    return 2;
  }
  if (command.name === 'help') {
    process.stdout.write(DEVICES_USAGE);
    return 0;
  }
  const databaseUrl = process.env['DATABASE_URL'] || undefined;
  const dataDir = process.env['DATA_DIR'] || './data';
  process.stderr.write(`opening ${databaseUrl ? 'the database at DATABASE_URL' : `the embedded database in ${dataDir}`} …\n`);
  const db = await createDatabase({ databaseUrl, dataDir, wirePort: null });
  try {
    await migrate(db);
    process.stdout.write(await runCommand(db, command));
    return 0;
  } finally {
    await db.close();
  }
}

if (process.argv[1] !== undefined && import.meta.url === new URL(`file://${process.argv[1]}`).href) {
  main().then(
    (code) => (process.exitCode = code),
    (err: unknown) => {
      process.stderr.write(isStreetwiseError(err) ? `${err.code}: ${err.message}\n` : `${(err as Error).stack ?? String(err)}\n`);
      process.exitCode = 1;
    },
  );
}
