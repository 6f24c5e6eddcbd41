import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { MosquittoFiles } from '@streetwise/identity';
import { canConnect, freePort } from '../ingest/brokers.js';
import { waitFor } from '@streetwise/testing';
import type { TlsFiles } from './tls-files.js';

export interface SecureMosquitto {
  /** mqtts:// port for devices (TLS only, with the test CA's server certificate). */
  tlsPort: number;
  /** Plain port for ingest on 127.0.0.1 (ingest's MQTT transport takes no CA file yet). */
  ingestPort: number;
  log(): string;
  stop(): Promise<void>;
}

/**
 * The machine's mosquitto binary with the password file and ACL generated from the registry, no
 * anonymous clients, a TLS listener and a plain one for ingest; its log (every type) goes to a file
 * the test reads. `user root`: the test runs as root and the files are 0600.
 */
export async function startSecureMosquitto(dir: string, files: MosquittoFiles, tls: TlsFiles): Promise<SecureMosquitto> {
  const [tlsPort, ingestPort] = [await freePort(), await freePort()];
  const f = (name: string): string => join(dir, name);
  writeFileSync(f('passwords'), files.passwords, { mode: 0o600 });
  writeFileSync(f('acl'), files.acl);
  writeFileSync(f('mosquitto.conf'), [
    'user root',
    'per_listener_settings false',
    'allow_anonymous false',
    `password_file ${f('passwords')}`,
    `acl_file ${f('acl')}`,
    'persistence false',
    `log_dest file ${f('mosquitto.log')}`,
    'log_type all',
    `listener ${tlsPort} 127.0.0.1`,
    `cafile ${tls.caFile}`,
    `certfile ${tls.certFile}`,
    `keyfile ${tls.keyFile}`,
    `listener ${ingestPort} 127.0.0.1`,
    '',
  ].join('\n'));
  const child = spawn('mosquitto', ['-c', f('mosquitto.conf')], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
  await waitFor(async () => {
    if (child.exitCode !== null) throw new Error(`mosquitto exited with ${child.exitCode}: ${stderr}`);
    return (await canConnect(tlsPort)) && canConnect(ingestPort);
  }, { timeoutMs: 10_000, what: `mosquitto on ${tlsPort}/${ingestPort} (${stderr})` });
  return {
    tlsPort,
    ingestPort,
    log: () => readFileSync(f('mosquitto.log'), 'utf8'),
    async stop() {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await once(child, 'exit');
      }
    },
  };
}
