/**
 * The first admin, when the users table is empty at start: ADMIN_USER / ADMIN_PASSWORD when given;
 * otherwise `admin` with a generated one-time password, written once to stderr (never to the log, which
 * is kept and shipped) and to be changed at first sign-in. Once a user exists this does nothing.
 */
import type { Database } from '@streetwise/db';
import type { ScryptCost } from './password-hash.js';
import { countUsers, createUser } from './user-store.js';

export interface FirstAdminOptions {
  adminUser?: string | undefined;
  adminPassword?: string | undefined;
  cost?: ScryptCost;
  /** Where the one-time password goes. Default: process.stderr. */
  write?: (text: string) => void;
}

export type FirstAdminResult = { created: false } | { created: true; username: string; oneTimePassword: boolean };

export async function ensureFirstAdmin(db: Database, options: FirstAdminOptions = {}): Promise<FirstAdminResult> {
  return db.transaction(async (tx) => {
    // Serialises two nodes starting at once against one server (the second sees the first's admin).
    await tx.query('LOCK TABLE users IN SHARE ROW EXCLUSIVE MODE');
    if ((await countUsers(tx)) > 0) return { created: false } as const;
    const username = options.adminUser || 'admin';
    const { user, oneTimePassword } = await createUser(tx, {
      username,
      role: 'admin',
      ...(options.adminPassword ? { password: options.adminPassword } : {}),
      ...(options.cost ? { cost: options.cost } : {}),
    });
    if (oneTimePassword) {
      (options.write ?? ((text) => process.stderr.write(text)))(
        `\nFirst admin created: user "${user.username}", one-time password ${oneTimePassword}\n` +
          'It is shown only this once; sign in and change it (POST /api/v1/session/password).\n\n',
      );
    }
    return { created: true, username: user.username, oneTimePassword: oneTimePassword !== undefined } as const;
  });
}
