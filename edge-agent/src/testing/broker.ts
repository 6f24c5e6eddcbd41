import { createServer, type Server, type AddressInfo } from 'node:net';
import { Aedes } from 'aedes';

/** Test helpers (not built into dist): an embedded aedes broker that can be stopped and restarted on its port. */
export interface Captured {
  topic: string;
  payload: Buffer;
  retain: boolean;
  json: Record<string, unknown>;
}

export interface TestBroker {
  port: number;
  url: string;
  broker: Aedes;
  captured: Captured[];
  stop(): Promise<void>;
  /** Start again on the same port (after stop). */
  restart(): Promise<void>;
}

export async function startTestBroker(port = 0, onBroker?: (broker: Aedes) => void): Promise<TestBroker> {
  const captured: Captured[] = [];
  let server: Server | undefined;
  const self = {} as TestBroker;
  const listen = async (atPort: number) => {
    const broker = await Aedes.createBroker();
    broker.on('publish', (packet) => {
      if (packet.topic.startsWith('$SYS')) return;
      const payload = Buffer.from(packet.payload as Buffer);
      let json: Record<string, unknown> = {};
      try {
        json = JSON.parse(payload.toString('utf8')) as Record<string, unknown>;
      } catch {
        // non-JSON payloads are kept raw
      }
      captured.push({ topic: packet.topic, payload, retain: packet.retain, json });
    });
    onBroker?.(broker);
    const srv = createServer(broker.handle);
    await new Promise<void>((resolve, reject) => {
      srv.once('error', reject);
      srv.listen(atPort, '127.0.0.1', () => resolve());
    });
    server = srv;
    self.broker = broker;
    self.port = (srv.address() as AddressInfo).port;
    self.url = `mqtt://127.0.0.1:${self.port}`;
  };
  await listen(port);
  self.captured = captured;
  self.stop = async () => {
    const srv = server;
    server = undefined;
    await new Promise<void>((resolve) => self.broker.close(() => resolve()));
    if (srv) await new Promise<void>((resolve) => srv.close(() => resolve()));
  };
  self.restart = () => listen(self.port);
  return self;
}

