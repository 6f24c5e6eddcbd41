/** Test helper (not built into dist): an embedded aedes broker on a free port of 127.0.0.1. */
import { createServer } from 'node:net';
import { Aedes } from 'aedes';

export interface LocalBroker {
  broker: Aedes;
  /** mqtt://127.0.0.1:<port> */
  url: string;
  close(): Promise<void>;
}

export async function startLocalBroker(): Promise<LocalBroker> {
  const broker = await Aedes.createBroker();
  const server = createServer(broker.handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return {
    broker,
    url: `mqtt://127.0.0.1:${address.port}`,
    async close() {
      await new Promise<void>((resolve) => broker.close(() => resolve()));
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
