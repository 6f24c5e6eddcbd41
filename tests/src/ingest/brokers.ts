import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { IClientOptions } from 'mqtt';
import { Registry } from 'prom-client';
import type { Database } from '@streetwise/db';
import { createCredentialCache, installIdentityHooks, loadCredential, provisionCredential, rotateCredential, type CredentialKind } from '@streetwise/identity';
import type { IngestOptions } from '@streetwise/ingest';
import { startEmbeddedBroker } from '@streetwise/stack';
import { testLogger } from './fixtures.js';
import { waitFor } from '@streetwise/testing';

/**
 * The brokers ingest runs against, behind one shape, so a suite is written once as a function of a
 * broker factory: the embedded aedes (in-process path) and a real Mosquitto (shared subscriptions).
 */
export interface BrokerUnderTest {
  name: 'aedes' | 'mosquitto';
  host: string;
  port: number;
  /** mqtt://host:port for publishers. */
  url: string;
  /** The transport option createIngest gets for this broker. */
  transport(run: string): IngestOptions['transport'];
  /** True when ingest learns the publisher's client id (aedes) and so checks who speaks for a device. */
  knowsPublisher: boolean;
  /** True when the broker checks credentials (identity's hooks on aedes): publishers need a login. */
  authenticates: boolean;
  /** MQTT options that log this client id in: a credential of that kind provisioned for it (once), or nothing on an open broker. */
  login(clientId: string, kind?: CredentialKind, scope?: string[]): Promise<Partial<IClientOptions>>;
  /** The registry /metrics would serve for the broker (identity's refusal counter). */
  registry: Registry;
  close(): Promise<void>;
}

/** db: the registry's database; given, the embedded broker checks credentials, as `npm start` does. */
export type BrokerFactory = (db?: Database) => Promise<BrokerUnderTest>;

/**
 * aedes on an ephemeral port; ingest hooks it in-process. With a database, identity's hooks check every
 * login, publish and subscription against the registry in it (ingest then leaves that to the broker);
 * without, anyone may connect and ingest checks the publisher (gateways: client ids "gw-*").
 */
export const aedesBroker: BrokerFactory = async (db) => {
  const registry = new Registry();
  const credentials = db ? await createCredentialCache(db) : undefined;
  const broker = await startEmbeddedBroker(0, async (aedes) => {
    if (credentials) installIdentityHooks(aedes, { credentials, registry, logger: testLogger(), prefix: '*' });
  });
  const tokens = new Map<string, string>();
  return {
    name: 'aedes',
    host: '127.0.0.1',
    port: broker.port,
    url: broker.url,
    transport: () => ({ kind: 'aedes', aedes: broker.aedes, trustedPublishers: ['gw-*'], brokerAuthorizes: credentials !== undefined }),
    knowsPublisher: true,
    authenticates: credentials !== undefined,
    registry,
    async login(clientId, kind = 'device', scope) {
      if (!db || !credentials) return {};
      let token = tokens.get(clientId);
      if (token === undefined) {
        const issued = (await loadCredential(db, clientId)) === undefined
          ? await provisionCredential(db, { id: clientId, kind, ...(scope ? { scope } : {}) })
          : await rotateCredential(db, clientId, 0);
        token = issued.token;
        tokens.set(clientId, token);
        await credentials.refresh(clientId);
      }
      return { username: clientId, password: token };
    },
    async close() {
      await credentials?.close();
      await broker.close();
    },
  };
};

/** A Mosquitto (the machine's on 1883, or a private one); ingest joins it with K shared-subscription connections. */
export function mosquittoBroker(port = 1883, connections = 8): BrokerFactory {
  return async () => ({
    name: 'mosquitto',
    host: '127.0.0.1',
    port,
    url: `mqtt://127.0.0.1:${port}`,
    transport: (run) => ({ kind: 'mqtt', url: `mqtt://127.0.0.1:${port}`, connections, group: `g${run}`, clientIdPrefix: `sw-${run}`, sessionExpirySeconds: 120 }),
    knowsPublisher: false,
    authenticates: false,
    registry: new Registry(),
    login: async () => ({}),
    async close() {},
  });
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export async function canConnect(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ port, host });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

export interface PrivateMosquitto {
  port: number;
  /** The running mosquitto process (a new one after restart()). */
  child: ChildProcess;
  /** SIGTERM (mosquitto saves its persistence file on the way out), then the same config on the same port again. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

export interface PrivateMosquittoOptions {
  /** Keep sessions, subscriptions and queued messages across restart() (a persistence file in its folder). Default false. */
  persistence?: boolean;
}

/**
 * The machine's real mosquitto binary with a private config on a free port: unlimited queues per
 * session (max_queued_messages 0), so a crashed worker's share waits for it, however long. Given auth
 * files, it refuses anonymous clients and applies the ACL (`user root`: the test runs as root, the files are 0600).
 */
export async function startPrivateMosquitto(auth?: { passwords: string; acl: string }, options: PrivateMosquittoOptions = {}): Promise<PrivateMosquitto> {
  const dir = mkdtempSync(join(tmpdir(), 'sw-mosq-'));
  const port = await freePort();
  const conf = join(dir, 'mosquitto.conf');
  // With auth: the password file and ACL generated from the registry (identity's mosquitto-config), no anonymous clients.
  const access = auth
    ? (writeFileSync(join(dir, 'passwords'), auth.passwords, { mode: 0o600 }), writeFileSync(join(dir, 'acl'), auth.acl),
      ['user root', 'allow_anonymous false', `password_file ${join(dir, 'passwords')}`, `acl_file ${join(dir, 'acl')}`])
    : ['allow_anonymous true'];
  // Started as root, mosquitto drops to the `mosquitto` user unless told `user root`, and then cannot
  // write its persistence file into this 0700 folder: every session would be gone after a restart.
  const persistence = options.persistence ? [...(auth ? [] : ['user root']), 'persistence true', `persistence_location ${dir}/`] : ['persistence false'];
  writeFileSync(conf, [`listener ${port} 127.0.0.1`, ...access, ...persistence, 'max_queued_messages 0', 'max_inflight_messages 0', 'log_dest none', ''].join('\n'));

  async function launch(): Promise<ChildProcess> {
    const child = spawn('mosquitto', ['-c', conf], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
    await waitFor(async () => {
      if (child.exitCode !== null) throw new Error(`mosquitto exited with ${child.exitCode}: ${stderr}`);
      return canConnect(port);
    }, { timeoutMs: 10_000, what: `mosquitto on port ${port} (${stderr})` });
    return child;
  }

  async function terminate(child: ChildProcess): Promise<void> {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    await exited;
  }

  const broker: PrivateMosquitto = {
    port,
    child: await launch(),
    async restart() {
      await terminate(broker.child);
      broker.child = await launch();
    },
    async stop() {
      await terminate(broker.child);
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return broker;
}
