import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { IngestOptions } from '@streetwise/ingest';
import { startEmbeddedBroker } from '@streetwise/stack';
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
  close(): Promise<void>;
}

export type BrokerFactory = () => Promise<BrokerUnderTest>;

/** aedes on an ephemeral port; ingest hooks it in-process. Gateways: client ids "gw-*". */
export const aedesBroker: BrokerFactory = async () => {
  const broker = await startEmbeddedBroker(0);
  return {
    name: 'aedes',
    host: '127.0.0.1',
    port: broker.port,
    url: broker.url,
    transport: () => ({ kind: 'aedes', aedes: broker.aedes, trustedPublishers: ['gw-*'] }),
    knowsPublisher: true,
    close: () => broker.close(),
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
  child: ChildProcess;
  stop(): Promise<void>;
}

/**
 * The machine's real mosquitto binary with a private config on a free port: unlimited queues per
 * session (max_queued_messages 0), so a crashed worker's share waits for it, however long.
 */
export async function startPrivateMosquitto(): Promise<PrivateMosquitto> {
  const dir = mkdtempSync(join(tmpdir(), 'sw-mosq-'));
  const port = await freePort();
  const conf = join(dir, 'mosquitto.conf');
  writeFileSync(conf, [`listener ${port} 127.0.0.1`, 'allow_anonymous true', 'persistence false', 'max_queued_messages 0', 'max_inflight_messages 0', 'log_dest none', ''].join('\n'));
  const child = spawn('mosquitto', ['-c', conf], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
  await waitFor(async () => {
    if (child.exitCode !== null) throw new Error(`mosquitto exited with ${child.exitCode}: ${stderr}`);
    return canConnect(port);
  }, { timeoutMs: 10_000, what: `mosquitto on port ${port} (${stderr})` });
  return {
    port,
    child,
    async stop() {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await once(child, 'exit');
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
