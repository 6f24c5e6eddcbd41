export { FEED_PROBLEM_CODES, DEFAULT_FUTURE_TOLERANCE_MS } from './feed.js';
export type { Feed, FeedPeriod, FeedProblem, FeedProblemCode, FeedReadContext, FeedSite, FeedSnapshot, SiteReading } from './feed.js';
export { decodeXmlBytes } from './decode-xml-bytes.js';
export type { DecodedXml } from './decode-xml-bytes.js';
export { hkWallClockToUtcMs, HK_UTC_OFFSET_MS } from './hk-time.js';
export { derivedMessageId, readingMessageId } from './derived-id.js';
export {
  SW_CONNECTOR_FEED_UNREADABLE,
  SW_CONNECTOR_CATALOGUE_INVALID,
  SW_CONNECTOR_FETCH_FAILED,
  SW_CONNECTOR_REPLAY_EMPTY,
  SW_CONNECTOR_OPTIONS_INVALID,
  SW_CONNECTOR_FLAGS_INVALID,
  SW_CONNECTOR_MQTT_FAILED,
  CONNECTOR_ERRORS,
} from './errors.js';
export { createTdFeed, TD_FEED_NAME, TD_FEED_PERIOD_S } from './td/td-feed.js';
export type { TdFeed, TdFeedOptions } from './td/td-feed.js';
export { parseTdXml } from './td/td-xml.js';
export type { TdParseResult } from './td/td-xml.js';
export { aggregateDetector, isLaneUsable } from './td/td-aggregate.js';
export { loadTdCatalogue, parseTdCatalogue, roadOfDescription, TD_DETECTORS_CSV } from './td/td-catalogue.js';
export type { TdDetectorSite } from './td/td-catalogue.js';
export type { TdDetectorAggregate, TdDetectorReading, TdLane, TdRawPeriod } from './td/td-types.js';
export { FeedHealth, DEFAULT_FEED_HEALTH_OPTIONS } from './source/feed-health.js';
export type { FeedHealthOptions, FeedHealthReport, FeedState, SiteState, SiteTransition } from './source/feed-health.js';
export { PeriodTracker } from './source/period-tracker.js';
export { HttpPoller, DEFAULT_HTTP_POLLER_OPTIONS } from './source/http-poller.js';
export type { HttpPollerOptions, PollOutcome } from './source/http-poller.js';
export { startPollLoop } from './source/poll-loop.js';
export type { PollLoop, PollLoopOptions } from './source/poll-loop.js';
export { replaySnapshots, listSnapshotFiles } from './source/replay.js';
export type { ReplayOptions, ReplayedSnapshot } from './source/replay.js';
export { detectorBirth, detectorTelemetry, gatewayBirth, gatewayHealth, offlineStatus, TD_CONNECTOR_FIRMWARE, TD_DETECTOR_CAPABILITIES } from './td/td-messages.js';
export { startTdGateway, DEFAULT_TD_GATEWAY_ID } from './publish/td-gateway.js';
export type { ConnectorLogger, TdGateway, TdGatewayOptions, TdGatewayStats } from './publish/td-gateway.js';
