import { createServer, type Server } from 'node:net';
import { Aedes } from 'aedes';
import { SW_MQTT_PORT_IN_USE } from './errors.js';

export interface EmbeddedBroker {
  aedes: Aedes;
  /** mqtt://127.0.0.1:<port> */
  url: string;
  port: number;
  close(): Promise<void>;
}

/**
 * The embedded MQTT broker (aedes, MQTT 3.1.1, in-memory persistence) on 127.0.0.1 only. Ingest hooks
 * its authorizePublish to hold each device's PUBACK until the message is committed.
 */
export async function startEmbeddedBroker(port: number, beforeListen?: (aedes: Aedes) => Promise<void>): Promise<EmbeddedBroker> {
  const aedes = await Aedes.createBroker({ id: 'streetwise-embedded' });
  // Ingest hooks authorizePublish before the first device can connect: a message accepted earlier would
  // be acknowledged without being stored.
  try {
    await beforeListen?.(aedes);
  } catch (err) {
    aedes.close();
    throw err;
  }
  const server: Server = createServer(aedes.handle);
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => {
      aedes.close();
      reject(err.code === 'EADDRINUSE' ? SW_MQTT_PORT_IN_USE([port, port], { cause: err }) : err);
    });
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  const boundPort = typeof address === 'object' && address ? address.port : port;
  return {
    aedes,
    port: boundPort,
    url: `mqtt://127.0.0.1:${boundPort}`,
    async close() {
      await new Promise<void>((resolve) => aedes.close(() => resolve()));
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
