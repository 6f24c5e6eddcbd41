import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import { Aedes, type Client } from 'aedes';
import { SW_MQTT_PORT_IN_USE, SW_MQTT_TLS_FILES } from './errors.js';

export interface EmbeddedBroker {
  aedes: Aedes;
  /** mqtt://127.0.0.1:<port>, or the mqtts:// URL when plain MQTT is off. */
  url: string;
  /** Plain MQTT port (0 when plain MQTT is off). */
  port: number;
  /** mqtts://127.0.0.1:<port> when TLS is on. */
  tlsUrl?: string;
  tlsPort?: number;
  close(): Promise<void>;
}

export interface EmbeddedBrokerTls {
  /** PEM certificate (chain) and key files. */
  certFile: string;
  keyFile: string;
  port: number;
}

export interface EmbeddedBrokerOptions {
  /** Also serve mqtts:// with these files. */
  tls?: EmbeddedBrokerTls;
  /** Serve plain MQTT on the port. Default true. */
  plain?: boolean;
}

/**
 * The embedded MQTT broker (aedes, MQTT 3.1.1, in-memory persistence) on 127.0.0.1 only: plain MQTT on
 * `port`, and mqtts:// on tls.port when certificate files are given. Ingest hooks its authorizePublish
 * to hold each device's PUBACK until the message is committed; identity hooks its authentication.
 */
export async function startEmbeddedBroker(port: number, beforeListen?: (aedes: Aedes) => Promise<void>, options: EmbeddedBrokerOptions = {}): Promise<EmbeddedBroker> {
  const aedes = await Aedes.createBroker({ id: 'streetwise-embedded' });
  // Ingest hooks authorizePublish before the first device can connect: a message accepted earlier would
  // be acknowledged without being stored.
  try {
    await beforeListen?.(aedes);
  } catch (err) {
    aedes.close();
    throw err;
  }
  const servers: Server[] = [];
  const listenOn = async (server: Server, at: number): Promise<number> => {
    servers.push(server);
    await new Promise<void>((resolve, reject) => {
      server.once('error', (err: NodeJS.ErrnoException) => reject(err.code === 'EADDRINUSE' ? SW_MQTT_PORT_IN_USE([at, at], { cause: err }) : err));
      server.listen(at, '127.0.0.1', () => resolve());
    });
    const address = server.address();
    return typeof address === 'object' && address ? address.port : at;
  };
  const closeAll = async (): Promise<void> => {
    await new Promise<void>((resolve) => aedes.close(() => resolve()));
    await Promise.all(servers.filter((s) => s.listening).map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
  };
  try {
    let tlsPort: number | undefined;
    if (options.tls) {
      let cert: Buffer;
      let key: Buffer;
      try {
        cert = readFileSync(options.tls.certFile);
        key = readFileSync(options.tls.keyFile);
      } catch (err) {
        throw SW_MQTT_TLS_FILES([options.tls.certFile, options.tls.keyFile, (err as Error).message], { cause: err });
      }
      tlsPort = await listenOn(createTlsServer({ cert, key, minVersion: 'TLSv1.2' }, aedes.handle as (socket: unknown) => void), options.tls.port);
    }
    const plain = options.plain ?? true;
    const boundPort = plain ? await listenOn(createServer(aedes.handle as (socket: unknown) => void), port) : 0;
    const tlsUrl = tlsPort === undefined ? undefined : `mqtts://127.0.0.1:${tlsPort}`;
    return {
      aedes,
      port: boundPort,
      url: plain ? `mqtt://127.0.0.1:${boundPort}` : tlsUrl!,
      ...(tlsUrl ? { tlsUrl, tlsPort } : {}),
      close: closeAll,
    };
  } catch (err) {
    await closeAll();
    throw err;
  }
}

export type { Client };
