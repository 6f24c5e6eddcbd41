import fp from 'fastify-plugin';
import { Server as SocketServer } from 'socket.io';
import { createAdapter } from '@socket.io/redis-adapter';
import { createClient } from 'redis';
import { NOTIFY_CHANNELS } from '@streetwise/db';
import { parseIncidentNotification } from '@streetwise/incidents';
import { DeviceDiffFeed, type DeviceDiffFeedOptions } from '../live/device-diff-feed.js';
import { deviceIdsToLookAt } from '../live/device-marks.js';

declare module 'fastify' {
  interface FastifyInstance {
    io: SocketServer;
    /** The devices:diff feed of this node (mark ids whose look may have changed). */
    liveDevices: DeviceDiffFeed;
  }
}

export interface RealtimeOptions {
  /** redis://… to share broadcasts between several console nodes (socket.io Redis adapter). Default: none. */
  redisUrl?: string;
  /** Timing of the devices:diff feed (tests shorten it). */
  deviceDiff?: Partial<Omit<DeviceDiffFeedOptions, 'onError'>>;
}

/** socket.io event carrying the map's device changes, at most one per second per node. */
export const DEVICES_DIFF_EVENT = 'devices:diff';

/** socket.io event name for each NOTIFY channel the console forwards to browsers. */
export const REALTIME_EVENTS = {
  [NOTIFY_CHANNELS.events]: 'event',
  [NOTIFY_CHANNELS.incidents]: 'incident',
  [NOTIFY_CHANNELS.devices]: 'device',
} as const;

const parseJson = (payload: string): unknown => {
  try {
    return JSON.parse(payload) as unknown;
  } catch {
    return undefined;
  }
};

/**
 * How each channel's payload is read before it is forwarded unchanged; undefined drops it. sw_incidents
 * carries @streetwise/incidents' one message shape (ingest's rules and operator actions alike).
 */
const READERS: Record<keyof typeof REALTIME_EVENTS, (payload: string) => unknown> = {
  [NOTIFY_CHANNELS.events]: parseJson,
  [NOTIFY_CHANNELS.incidents]: parseIncidentNotification,
  [NOTIFY_CHANNELS.devices]: parseJson,
};

/**
 * socket.io on the app's HTTP server. Committed rows reach it through Postgres NOTIFY (db.listen), so
 * a console node sees what any ingest worker wrote; with Redis, each notification is broadcast once per
 * node and reaches the browsers of every node.
 */
export const realtimePlugin = fp<RealtimeOptions>(
  async (app, options) => {
    const io = new SocketServer(app.server, { serveClient: false, cors: { origin: false } });
    app.decorate('io', io);
    const redisClients: Array<{ quit(): Promise<unknown> }> = [];
    if (options.redisUrl) {
      const pub = createClient({ url: options.redisUrl });
      const sub = pub.duplicate();
      for (const c of [pub, sub]) c.on('error', (err: Error) => app.log.warn({ err }, 'redis adapter connection error'));
      await Promise.all([pub.connect(), sub.connect()]);
      redisClients.push(pub, sub);
      io.adapter(createAdapter(pub, sub));
    }
    // local: with the Redis adapter every node gets the same NOTIFY itself, so do not re-broadcast it.
    const local = (): Pick<SocketServer, 'emit'> => (options.redisUrl ? io.local : io);
    const feed = new DeviceDiffFeed(app.db, (diff) => local().emit(DEVICES_DIFF_EVENT, diff), {
      ...options.deviceDiff,
      onError: (err) => app.log.warn({ err }, 'devices:diff: could not read the marked devices; trying again'),
    });
    app.decorate('liveDevices', feed);
    const unlisten: Array<() => Promise<void>> = [];
    // Before the first NOTIFY is heard, so no change falls between the first read and the listening.
    const marks = [NOTIFY_CHANNELS.devices, NOTIFY_CHANNELS.health, NOTIFY_CHANNELS.incidents] as const;
    for (const channel of marks) {
      unlisten.push(
        await app.db.listen(channel, (payload) => {
          void deviceIdsToLookAt(channel, payload, app.db).then(
            (ids) => feed.mark(ids),
            (err: unknown) => app.log.warn({ err, channel }, 'devices:diff: could not read a notification'),
          );
        }),
      );
    }
    await feed.start();
    for (const [channel, eventName] of Object.entries(REALTIME_EVENTS) as Array<[keyof typeof REALTIME_EVENTS, string]>) {
      const read = READERS[channel];
      unlisten.push(
        await app.db.listen(channel, (payload) => {
          const body = read(payload);
          if (body === undefined) {
            app.log.warn({ channel, payload: payload.slice(0, 200) }, 'ignored a notification that is not what its channel carries');
            return;
          }
          local().emit(eventName, body);
        }),
      );
    }
    app.addHook('onClose', async () => {
      await Promise.all(unlisten.map((stop) => stop()));
      await feed.stop();
      await io.close();
      await Promise.all(redisClients.map((c) => c.quit().catch(() => undefined)));
    });
  },
  { name: 'streetwise-realtime', fastify: '5.x', dependencies: ['streetwise-database'] },
);
