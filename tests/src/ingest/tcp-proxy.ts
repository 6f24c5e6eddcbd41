import { createConnection, createServer, type Socket } from 'node:net';

/**
 * A TCP relay between a device and its broker that the test can cut and restore: the device's network
 * going away (open connections reset, new ones refused) without touching the device or the broker.
 */
export interface TcpProxy {
  port: number;
  /** Reset every open connection and refuse new ones. */
  cut(): void;
  /** Accept connections again. */
  restore(): void;
  close(): Promise<void>;
}

export async function startTcpProxy(targetPort: number, targetHost = '127.0.0.1'): Promise<TcpProxy> {
  let open = true;
  const live = new Set<Socket>();
  const server = createServer((inbound) => {
    if (!open) {
      inbound.resetAndDestroy();
      return;
    }
    const outbound = createConnection({ port: targetPort, host: targetHost });
    for (const socket of [inbound, outbound]) {
      live.add(socket);
      socket.on('close', () => live.delete(socket));
      socket.on('error', () => undefined); // a reset on one side ends both, below
    }
    inbound.pipe(outbound);
    outbound.pipe(inbound);
    inbound.on('close', () => outbound.destroy());
    outbound.on('close', () => inbound.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    port,
    cut() {
      open = false;
      for (const socket of live) socket.resetAndDestroy();
    },
    restore() {
      open = true;
    },
    async close() {
      for (const socket of live) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
