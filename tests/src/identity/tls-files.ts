import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TlsFiles {
  dir: string;
  caFile: string;
  certFile: string;
  keyFile: string;
  remove(): void;
}

/** A throw-away CA and a server certificate for 127.0.0.1 / localhost it signed, made with the openssl CLI. */
export function makeTlsFiles(): TlsFiles {
  const dir = mkdtempSync(join(tmpdir(), 'sw-tls-'));
  const f = (name: string): string => join(dir, name);
  const ssl = (...args: string[]): void => void execFileSync('openssl', args, { stdio: 'pipe' });
  ssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=streetwise test CA', '-keyout', f('ca.key'), '-out', f('ca.crt'));
  ssl('req', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=localhost', '-keyout', f('server.key'), '-out', f('server.csr'));
  ssl('x509', '-req', '-in', f('server.csr'), '-CA', f('ca.crt'), '-CAkey', f('ca.key'), '-CAcreateserial', '-days', '2', '-out', f('server.crt'), '-extfile', writeExt(dir));
  return { dir, caFile: f('ca.crt'), certFile: f('server.crt'), keyFile: f('server.key'), remove: () => rmSync(dir, { recursive: true, force: true }) };
}

function writeExt(dir: string): string {
  const file = join(dir, 'san.ext');
  execFileSync('sh', ['-c', `printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\\n' > '${file}'`]);
  return file;
}
