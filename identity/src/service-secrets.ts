import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Database } from '@streetwise/db';
import { loadCredential, provisionCredential, rotateCredential } from './registry.js';
import { tokenMatches } from './token.js';
import type { CredentialKind } from './types.js';

export interface ServiceCredential {
  id: string;
  kind: CredentialKind;
  scope?: string[];
}

/**
 * The credentials `npm start` needs for its own parts (the simulated fleet's gateway, the console's
 * downlink), provisioned on first start. Each secret is kept in `<dir>/<id>.token` (mode 0600) and
 * never logged; when the file is missing or no longer matches the registry, the credential is rotated
 * (no grace) and the file written again. dir null (an in-memory database): the secrets live in memory.
 */
export async function ensureServiceCredentials(db: Database, dir: string | null, wanted: readonly ServiceCredential[]): Promise<Map<string, string>> {
  const tokens = new Map<string, string>();
  if (dir !== null) mkdirSync(dir, { recursive: true, mode: 0o700 });
  for (const service of wanted) {
    const file = dir === null ? null : join(dir, `${service.id}.token`);
    const record = await loadCredential(db, service.id);
    const saved = file !== null && existsSync(file) ? readFileSync(file, 'utf8').trim() : undefined;
    if (record !== undefined && record.status === 'active' && saved !== undefined && tokenMatches(saved, record.tokenSha256)) {
      tokens.set(service.id, saved);
      continue;
    }
    const issued = record === undefined
      ? await provisionCredential(db, { id: service.id, kind: service.kind, ...(service.scope ? { scope: service.scope } : {}) })
      : await rotateCredential(db, service.id, 0);
    if (file !== null) {
      writeFileSync(file, `${issued.token}\n`, { mode: 0o600 });
      chmodSync(file, 0o600);
    }
    tokens.set(service.id, issued.token);
  }
  return tokens;
}
