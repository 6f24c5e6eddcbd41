import { connect, createServer, type Server, type Socket } from 'node:net';

/**
 * A TCP relay between simulated devices and the broker that can cut one device's network on demand:
 * drop(clientId, ms) destroys its sockets (the broker sees an unclean close and publishes the last
 * will) and refuses its reconnects until the time is up. Devices are recognised by the client id in
 * their MQTT CONNECT packet, so any MQTT client works behind it unchanged.
 */
export interface FaultProxy {
  /** mqtt://127.0.0.1:<port> for the devices to connect to. */
  readonly url: string;
  drop(clientId: string, ms: number): void;
  /** Client ids currently cut off. */
  dropped(): string[];
  readonly connections: number;
  close(): Promise<void>;
}

/** Read an MQTT "remaining length" varint at offset; undefined if the buffer ends first. */
function readVarint(buf: Buffer, offset: number): { value: number; bytes: number } | undefined {
  let value = 0;
  for (let i = 0; i < 4; i++) {
    if (offset + i >= buf.length) return undefined;
    const byte = buf[offset + i]!;
    value += (byte & 0x7f) * 128 ** i;
    if ((byte & 0x80) === 0) return { value, bytes: i + 1 };
  }
  return undefined;
}

/**
 * The client id of a complete CONNECT packet at the start of buf; undefined while incomplete, null if
 * the bytes are not a CONNECT packet.
 */
export function connectClientId(buf: Buffer): string | undefined | null {
  if (buf.length < 2) return undefined;
  if (buf[0] !== 0x10) return null;
  const length = readVarint(buf, 1);
  if (!length) return undefined;
  const start = 1 + length.bytes;
  if (buf.length < start + length.value) return undefined;
  let p = start;
  const nameLength = buf.readUInt16BE(p);
  p += 2 + nameLength;
  const level = buf[p]!;
  p += 1 + 1 + 2; // level, flags, keepalive
  if (level === 5) {
    const props = readVarint(buf, p);
    if (!props) return null;
    p += props.bytes + props.value;
  }
  const idLength = buf.readUInt16BE(p);
  return buf.subarray(p + 2, p + 2 + idLength).toString('utf8');
}

export async function createFaultProxy(upstreamUrl: string): Promise<FaultProxy> {
  const upstream = new URL(upstreamUrl);
  if (upstream.protocol !== 'mqtt:' && upstream.protocol !== 'tcp:') throw new Error(`fault proxy relays plain TCP MQTT only, not ${upstream.protocol}`);
  const upstreamPort = Number(upstream.port || 1883);
  const upstreamHost = upstream.hostname;
  const blockedUntil = new Map<string, number>();
  const socketsById = new Map<string, Set<Socket>>();
  const all = new Set<Socket>();

  const server: Server = createServer((device) => {
    all.add(device);
    let head = Buffer.alloc(0);
    let broker: Socket | undefined;
    const closeBoth = (): void => {
      device.destroy();
      broker?.destroy();
    };
    device.on('close', () => {
      all.delete(device);
      broker?.destroy();
    });
    device.on('error', closeBoth);
    const onData = (chunk: Buffer): void => {
      head = Buffer.concat([head, chunk]);
      const id = connectClientId(head);
      if (id === undefined) return;
      device.off('data', onData);
      if (id === null || (blockedUntil.get(id) ?? 0) > Date.now()) {
        closeBoth();
        return;
      }
      const set = socketsById.get(id) ?? new Set<Socket>();
      set.add(device);
      socketsById.set(id, set);
      device.on('close', () => set.delete(device));
      broker = connect(upstreamPort, upstreamHost);
      all.add(broker);
      broker.on('close', () => {
        all.delete(broker!);
        device.destroy();
      });
      broker.on('error', closeBoth);
      broker.write(head);
      device.pipe(broker);
      broker.pipe(device);
    };
    device.on('data', onData);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('fault proxy has no port');

  return {
    url: `mqtt://127.0.0.1:${address.port}`,
    drop(clientId, ms) {
      blockedUntil.set(clientId, Date.now() + ms);
      for (const socket of socketsById.get(clientId) ?? []) socket.destroy();
    },
    dropped() {
      const now = Date.now();
      return [...blockedUntil.entries()].filter(([, until]) => until > now).map(([id]) => id);
    },
    get connections() {
      return socketsById.size === 0 ? 0 : [...socketsById.values()].reduce((n, s) => n + s.size, 0);
    },
    async close() {
      for (const socket of all) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
