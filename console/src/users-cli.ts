#!/usr/bin/env node
/**
 * `npm run users -- <command>`: manage console users against DATABASE_URL, or the embedded database in
 * DATA_DIR (default ./data) when `npm start` is not holding it. Passwords and token secrets are printed
 * once, here, and stored only hashed.
 */
import { createDatabase, migrate, SW_DB_DATA_DIR_IN_USE, type Database } from '@streetwise/db';
import { userInfo } from 'node:os';
import { isStreetwiseError } from '@streetwise/errors';
import { defineSettings, settingsOrExit, text, url } from '@streetwise/settings';
import { SW_CONSOLE_DATA_DIR_IN_USE, SW_CONSOLE_NOT_FOUND } from './errors.js';
import { createToken, listTokens, revokeToken } from './accounts/token-store.js';
import { exportPersonalData, erasePersonalData } from './privacy/personal-data.js';
import { createUser, findUser, listUsers, resetPassword, setDisabled, setRole } from './accounts/user-store.js';

const SETTINGS = defineSettings({
  databaseUrl: { env: 'DATABASE_URL', flag: '--database-url', description: 'the database server; while `npm start` runs embedded, its wire port works too: postgres://postgres@127.0.0.1:5433/postgres', parse: url(['postgres', 'postgresql']) },
  dataDir: { env: 'DATA_DIR', flag: '--data-dir', defaultValue: './data', description: 'the embedded database\'s folder (when DATABASE_URL is not set)', parse: text },
});

const USAGE = `npm run users -- <command>

  add NAME --role ROLE [--password-stdin]   add a user; prints a one-time password (changed at first sign-in)
                                            unless the password comes on stdin
  list                                      every user with role and state
  set-role NAME ROLE                        viewer | operator | planner | admin (retires the user's tokens)
  disable NAME | enable NAME                a disabled user cannot sign in; their sessions end
  reset-password NAME                       prints a new one-time password; clears a lockout
  token add NAME --label LABEL              a personal API token for scripts; prints its secret once
  token list [NAME]                         tokens (never their secrets)
  token revoke ID                           revoke a token
  export NAME                               everything stored about NAME, as JSON (account, sessions, tokens,
                                            failed sign-ins, incident actions, audit rows); audited
  erase NAME                                delete NAME's account, sessions and tokens; NAME becomes a stable
                                            erased-<hash> in incident_log, audit_log, fleet_pushes; audited

Environment: DATABASE_URL, or DATA_DIR (default ./data) for the embedded database.`;

/** Splits `add op-1 --role operator --password-stdin` into positionals and options. */
function parseArgs(argv: string[]): { positionals: string[]; options: Map<string, string | true> } {
  const positionals: string[] = [];
  const options = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('--')) positionals.push(arg);
    else if (arg === '--password-stdin' || arg === '--help') options.set(arg, true);
    else options.set(arg, argv[++i] ?? '');
  }
  return { positionals, options };
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
}

async function openDatabase(settings: { databaseUrl?: string | undefined; dataDir: string }): Promise<Database> {
  let db: Database;
  try {
    db = await createDatabase({ databaseUrl: settings.databaseUrl, dataDir: settings.dataDir, wirePort: null, max: 1 });
  } catch (err) {
    if (isStreetwiseError(err, SW_DB_DATA_DIR_IN_USE.code)) throw SW_CONSOLE_DATA_DIR_IN_USE([settings.dataDir], { cause: err });
    throw err;
  }
  // A fresh data folder (users before the first start) gets the schema; a migrated server is left alone.
  const { rows } = await db.query<{ t: string | null }>(`SELECT to_regclass('users')::text AS t`);
  if (rows[0]?.t === null || rows[0]?.t === undefined) await migrate(db);
  return db;
}

/** Who the audit trail names for this command line: the machine's account running it. */
const cliActor = (): string => `cli:${userInfo().username}`;

const out = (line: string) => process.stdout.write(`${line}\n`);

async function run(db: Database, positionals: string[], options: Map<string, string | true>): Promise<void> {
  const [command, a, b] = positionals;
  const option = (name: string): string => {
    const value = options.get(name);
    if (typeof value !== 'string' || value === '') throw new Error(`${command} needs ${name} VALUE\n\n${USAGE}`);
    return value;
  };
  const need = (value: string | undefined, what: string): string => {
    if (!value) throw new Error(`${command} needs ${what}\n\n${USAGE}`);
    return value;
  };
  switch (command) {
    case 'add': {
      const password = options.has('--password-stdin') ? await readStdin() : undefined;
      const { user, oneTimePassword } = await createUser(db, { username: need(a, 'NAME'), role: option('--role'), ...(password === undefined ? {} : { password }) });
      out(`added ${user.username} (${user.role})`);
      if (oneTimePassword) out(`one-time password: ${oneTimePassword}\n(shown only now; ${user.username} must change it at first sign-in)`);
      return;
    }
    case 'list': {
      const users = await listUsers(db);
      out(['username', 'role', 'state', 'created'].join('\t'));
      for (const u of users) out([u.username, u.role, u.disabled ? 'disabled' : u.mustChangePassword ? 'must-change-password' : 'active', u.createdAt].join('\t'));
      return;
    }
    case 'set-role': {
      const user = await setRole(db, need(a, 'NAME'), need(b, 'ROLE'));
      out(`${user.username} is now ${user.role}; their sessions ended and tokens of the old role were revoked`);
      return;
    }
    case 'disable':
    case 'enable': {
      const user = await setDisabled(db, need(a, 'NAME'), command === 'disable');
      out(`${user.username} is ${user.disabled ? 'disabled' : 'enabled'}`);
      return;
    }
    case 'reset-password': {
      const { user, oneTimePassword } = await resetPassword(db, need(a, 'NAME'));
      out(`one-time password for ${user.username}: ${oneTimePassword}\n(shown only now; to be changed at the next sign-in)`);
      return;
    }
    case 'token': {
      const now = new Date();
      if (a === 'add') {
        const user = await findUser(db, need(b, 'NAME'));
        if (!user) throw SW_CONSOLE_NOT_FOUND(['user', b!]);
        const { token, secret } = await createToken(db, user.username, user.role, option('--label'), now);
        out(`token ${token.id} for ${user.username} (${token.role}): ${secret}\n(shown only now; send it as Authorization: Bearer <token>)`);
        return;
      }
      if (a === 'list') {
        out(['id', 'username', 'label', 'role', 'created', 'last used', 'revoked'].join('\t'));
        for (const t of await listTokens(db, b)) out([t.id, t.username, t.label, t.role, t.createdAt, t.lastUsedAt ?? '-', t.revokedAt ?? '-'].join('\t'));
        return;
      }
      if (a === 'revoke') {
        const token = await revokeToken(db, need(b, 'ID'), now);
        out(`token ${token.id} of ${token.username} revoked`);
        return;
      }
      throw new Error(`unknown token command "${a ?? ''}"\n\n${USAGE}`);
    }
    case 'export': {
      out(JSON.stringify(await exportPersonalData(db, need(a, 'NAME'), cliActor()), null, 2));
      return;
    }
    case 'erase': {
      const erased = await erasePersonalData(db, need(a, 'NAME'), cliActor());
      out(`erased ${erased.username}: ${erased.deleted.users} account, ${erased.deleted.sessions} sessions, ${erased.deleted.tokens} tokens deleted; ` +
        `now ${erased.pseudonym} in ${erased.pseudonymised.incidentLog} incident_log, ${erased.pseudonymised.audit} audit_log and ${erased.pseudonymised.fleetPushes} fleet_pushes rows`);
      return;
    }
    default:
      throw new Error(`unknown command "${command ?? ''}"\n\n${USAGE}`);
  }
}

const { positionals, options } = parseArgs(process.argv.slice(2));
if (options.has('--help') || positionals.length === 0) {
  out(`${USAGE}\n\n${SETTINGS.help('npm run users -- <command>', 'Settings:')}`);
  process.exit(positionals.length === 0 && !options.has('--help') ? 2 : 0);
}
const settingsArgv = ['--database-url', '--data-dir'].flatMap((flag) => (typeof options.get(flag) === 'string' ? [flag, options.get(flag) as string] : []));
const settings = settingsOrExit(SETTINGS.parse(settingsArgv, process.env), () => SETTINGS.help('npm run users -- <command>', USAGE), 'users');
let db: Database | undefined;
try {
  db = await openDatabase(settings);
  await run(db, positionals, options);
  await db.close();
  process.exit(0);
} catch (err) {
  await db?.close().catch(() => undefined);
  process.stderr.write(isStreetwiseError(err) ? `${err.code}: ${err.message}\n` : `${(err as Error).message}\n`);
  process.exit(1);
}
