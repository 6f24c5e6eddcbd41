import { connectAsync, type IClientOptions, type MqttClient } from 'mqtt';
import { deviceTopic, encodeMessage, type MessageKind } from '@streetwise/protocol';
import { SW_CONNECTOR_MQTT_FAILED } from '../errors.js';
import type { FeedPeriod, FeedProblem } from '../feed.js';
import { FeedHealth, type FeedHealthOptions, type FeedHealthReport } from '../source/feed-health.js';
import { HttpPoller } from '../source/http-poller.js';
import { startPollLoop, type PollLoop } from '../source/poll-loop.js';
import { replaySnapshots } from '../source/replay.js';
import { createTdFeed, type TdFeed } from '../td/td-feed.js';
import { detectorBirth, detectorTelemetry, gatewayBirth, gatewayHealth, offlineStatus } from '../td/td-messages.js';
import type { TdDetectorAggregate } from '../td/td-types.js';

/** What the connector logs through; a pino logger fits. */
export interface ConnectorLogger {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

export interface TdGatewayOptions {
  /** http(s):// URL to poll every period, or a snapshot file / folder to replay once, re-timed to now. */
  feed: string;
  /** Broker to publish to, e.g. mqtt://127.0.0.1:1883. */
  mqttUrl: string;
  /** Gateway credential: username (also the gateway's own device id and MQTT client id). Default "td-gateway". */
  username?: string;
  password?: string;
  /** First level of every topic. Default "streetwise". */
  prefix?: string;
  /** Seconds between polls while all is well. Default 30 (the feed's period). */
  periodS?: number;
  /** How often the gateway sends its health, ms. Default 30 000. */
  healthIntervalMs?: number;
  health?: FeedHealthOptions;
  /** Extra MQTT.js options (TLS: ca, rejectUnauthorized). */
  mqtt?: Partial<IClientOptions>;
  feedReader?: TdFeed;
  logger?: ConnectorLogger;
  now?: () => number;
}

export interface TdGatewayStats {
  births: number;
  telemetry: number;
  offline: number;
  periods: number;
  problems: number;
  /** Snapshots read to the end (polls with a new snapshot, or replayed files). */
  snapshots: number;
}

export interface TdGateway {
  readonly gatewayId: string;
  stats(): TdGatewayStats;
  health(): FeedHealthReport;
  /** Resolves once the replay (if the feed is a path) has been published. */
  replayed: Promise<void>;
  stop(): Promise<void>;
}

export const DEFAULT_TD_GATEWAY_ID = 'td-gateway';
const SILENT_LOGGER: ConnectorLogger = { info: () => {}, warn: () => {}, error: () => {} };

/**
 * The TD feed as protocol v1 devices over MQTT, QoS 1, as one gateway credential. Every detector seen gets a
 * retained birth; each period's readings become telemetry with ids derived from (detector, period end); a
 * detector silent long enough gets a retained "offline" status (one last will cannot speak for 750 devices,
 * so the connector does it per detector) and a new birth when it comes back. The gateway's own status is its
 * birth and last will; its health carries the feed's age and the silent detectors' counts.
 */
export async function startTdGateway(options: TdGatewayOptions): Promise<TdGateway> {
  const now = options.now ?? Date.now;
  const logger = options.logger ?? SILENT_LOGGER;
  const gatewayId = options.username ?? DEFAULT_TD_GATEWAY_ID;
  const prefix = options.prefix ?? 'streetwise';
  const feed = options.feedReader ?? createTdFeed();
  const feedHealth = new FeedHealth(options.health);
  const startedAtMs = now();
  const stats: TdGatewayStats = { births: 0, telemetry: 0, offline: 0, periods: 0, problems: 0, snapshots: 0 };
  const born = new Set<string>();

  let client: MqttClient;
  try {
    client = await connectAsync(options.mqttUrl, {
      clientId: gatewayId,
      ...(options.username === undefined ? {} : { username: options.username }),
      ...(options.password === undefined ? {} : { password: options.password }),
      reconnectPeriod: 2000,
      connectTimeout: 10_000,
      will: { topic: deviceTopic(gatewayId, 'status', prefix), payload: encodeMessage(offlineStatus(gatewayId, now())), qos: 1, retain: true },
      ...options.mqtt,
    });
  } catch (err) {
    throw SW_CONNECTOR_MQTT_FAILED([options.mqttUrl, gatewayId, (err as Error).message], { cause: err });
  }
  const publish = async (deviceId: string, kind: MessageKind, message: object, retain = false): Promise<void> => {
    await client.publishAsync(deviceTopic(deviceId, kind, prefix), encodeMessage(message), { qos: 1, retain });
  };
  await publish(gatewayId, 'status', gatewayBirth(gatewayId, feed.name, feed.sites.values(), now()), true);

  /** Births and offline statuses for every detector whose state changed; births before any telemetry. */
  const publishTransitions = async (): Promise<void> => {
    const sends: Array<Promise<void>> = [];
    for (const change of feedHealth.transitions()) {
      if (change.to === 'live' && !born.has(change.siteId)) {
        const site = feed.sites.get(change.siteId);
        if (site === undefined) continue;
        born.add(change.siteId);
        stats.births++;
        sends.push(publish(change.siteId, 'status', detectorBirth(site, now()), true));
      } else if (change.to === 'offline' && born.delete(change.siteId)) {
        stats.offline++;
        sends.push(publish(change.siteId, 'status', offlineStatus(change.siteId, now()), true));
      } else if (change.to === 'stale') logger.warn({ detector: change.siteId }, 'detector stale: missing from the feed');
    }
    await Promise.all(sends);
  };

  const publishPeriods = async (periods: Array<FeedPeriod<TdDetectorAggregate>>, problems: FeedProblem[]): Promise<void> => {
    stats.problems += problems.length;
    for (const problem of problems.slice(0, 20)) logger.warn({ problem }, `feed problem: ${problem.message}`);
    if (problems.length > 20) logger.warn({ more: problems.length - 20 }, 'more feed problems in this snapshot');
    await publishTransitions();
    for (const period of periods) {
      await Promise.all(period.readings.map((reading) => publish(reading.siteId, 'telemetry', detectorTelemetry(feed.name, period, reading))));
      stats.telemetry += period.readings.length;
      stats.periods++;
    }
    stats.snapshots++;
  };

  const sendHealth = async (): Promise<void> => {
    const report = feedHealth.report(now());
    await publishTransitions();
    await publish(gatewayId, 'health', gatewayHealth(gatewayId, report, startedAtMs, now(), client.queue.length));
    if (report.warnings.length > 0) logger.warn({ warnings: report.warnings }, 'feed health');
  };
  const healthFailed = (err: unknown): void => logger.error({ err }, 'gateway health not sent');
  const healthTimer = setInterval(() => void sendHealth().catch(healthFailed), options.healthIntervalMs ?? 30_000);

  let loop: PollLoop | undefined;
  let replayed: Promise<void> = Promise.resolve();
  if (/^https?:\/\//.test(options.feed)) {
    loop = startPollLoop({
      feed,
      health: feedHealth,
      poller: new HttpPoller({ url: options.feed, feedName: feed.name, periodMs: (options.periodS ?? feed.periodS) * 1000 }),
      onPeriods: publishPeriods,
      onPoll: (outcome, error) => {
        if (error) logger.warn({ code: (error as { code?: string }).code, err: error.message }, 'feed poll failed; polling again');
        if (outcome.kind !== 'not_modified') void sendHealth().catch(healthFailed);
      },
    });
  } else {
    replayed = (async () => {
      for (const snapshot of await replaySnapshots({ feed, path: options.feed, nowMs: now() })) {
        if (snapshot.error) {
          feedHealth.recordFailure(snapshot.error);
          logger.warn({ file: snapshot.file, err: snapshot.error.message }, 'snapshot unreadable; replay goes on');
          continue;
        }
        feedHealth.observe(snapshot.periods);
        feedHealth.recordSuccess();
        await publishPeriods(snapshot.periods, snapshot.problems);
      }
      await sendHealth();
      logger.info({ ...stats }, 'replay published');
    })();
    replayed.catch((err: unknown) => logger.error({ err }, 'replay failed'));
  }

  return {
    gatewayId,
    stats: () => ({ ...stats }),
    health: () => feedHealth.report(now()),
    replayed,
    async stop() {
      clearInterval(healthTimer);
      await loop?.stop();
      await replayed.catch(() => undefined); // already logged where it failed
      // A clean stop says "offline" itself: the broker sends the last will only when the connection is lost.
      await publish(gatewayId, 'status', offlineStatus(gatewayId, now()), true).catch((err: unknown) => logger.warn({ err }, 'gateway offline status not sent'));
      await client.endAsync();
    },
  };
}
