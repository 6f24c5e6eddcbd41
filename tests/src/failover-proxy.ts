import { createConnection, createServer, type Socket } from 'node:net';

/**
 * A TCP front for several backends, the way a load balancer with health checks behaves: each new
 * connection goes to the first backend that accepts it (a refused one is skipped), and a backend that
 * dies takes its open connections with it. Nothing steers it: when the first node is killed, the next
 * connections land on the second by themselves.
 */
export interface FailoverProxy {
  port: number;
  /** Connections made to each backend port so far. */
  connectionsTo: Map<number, number>;
  close(): Promise<void>;
}

export async function startFailoverProxy(backendPorts: readonly number[]): Promise<FailoverProxy> {
  const live = new Set<Socket>();
  const connectionsTo = new Map<number, number>();
  const track = (socket: Socket) => {
    live.add(socket);
    socket.on('close', () => live.delete(socket));
    socket.on('error', () => undefined); // an error ends both sides, below
  };
  const connect = (inbound: Socket, index: number): void => {
    const port = backendPorts[index];
    if (port === undefined) {
      inbound.resetAndDestroy();
      return;
    }
    const outbound = createConnection({ port, host: '127.0.0.1' });
    let connected = false;
    // Refused (or reset before it was up): the next backend. After that, an error ends both sides.
    outbound.once('error', () => {
      if (!connected) connect(inbound, index + 1);
    });
    outbound.once('connect', () => {
      connected = true;
      connectionsTo.set(port, (connectionsTo.get(port) ?? 0) + 1);
      track(outbound);
      inbound.pipe(outbound);
      outbound.pipe(inbound);
      inbound.resume();
      inbound.on('close', () => outbound.destroy());
      outbound.on('close', () => inbound.destroy());
    });
  };
  const server = createServer({ pauseOnConnect: true }, (inbound) => {
    track(inbound);
    connect(inbound, 0);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    port,
    connectionsTo,
    async close() {
      for (const socket of live) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
