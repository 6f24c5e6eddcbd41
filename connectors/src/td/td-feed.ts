import { decodeXmlBytes } from '../decode-xml-bytes.js';
import { SW_CONNECTOR_FEED_UNREADABLE } from '../errors.js';
import { DEFAULT_FUTURE_TOLERANCE_MS } from '../feed.js';
import type { Feed, FeedPeriod, FeedProblem, FeedReadContext, FeedSnapshot } from '../feed.js';
import { aggregateDetector } from './td-aggregate.js';
import { loadTdCatalogue } from './td-catalogue.js';
import type { TdDetectorSite } from './td-catalogue.js';
import { parseTdXml } from './td-xml.js';
import type { TdDetectorAggregate } from './td-types.js';

export const TD_FEED_NAME = 'hk-td-speed-volume';
/** The Transport Department refreshes rawSpeedVol-all.xml every 30 s, each file holding 30-s periods. */
export const TD_FEED_PERIOD_S = 30;

export interface TdFeedOptions {
  /** Detector catalogue; default: connectors/data/hk/traffic_detectors.csv. */
  sites?: ReadonlyMap<string, TdDetectorSite>;
}

export interface TdFeed extends Feed<TdDetectorAggregate> {
  readonly sites: ReadonlyMap<string, TdDetectorSite>;
}

/** Summarise the first problems for the one error thrown when nothing at all can be read. */
function summarise(problems: FeedProblem[]): string {
  const shown = problems.slice(0, 3).map((problem) => problem.message);
  return shown.join('; ') + (problems.length > 3 ? `; and ${problems.length - 3} more` : '');
}

/**
 * The Transport Department's "Traffic Speed, Volume and Road Occupancy" feed: bytes of one snapshot → per
 * period, one aggregate per known detector, plus every problem found. Detectors missing from the catalogue
 * and periods from the future are left out with a problem each; the rest is read.
 */
export function createTdFeed(options: TdFeedOptions = {}): TdFeed {
  const sites = options.sites ?? loadTdCatalogue();
  return {
    name: TD_FEED_NAME,
    periodS: TD_FEED_PERIOD_S,
    sites,
    read(bytes: Uint8Array, context: FeedReadContext): FeedSnapshot<TdDetectorAggregate> {
      const decoded = decodeXmlBytes(bytes);
      const parsed = parseTdXml(decoded.text);
      const problems = [...decoded.problems, ...parsed.problems];
      if (!parsed.isTdFeed) {
        const head = JSON.stringify(decoded.text.slice(0, 60));
        throw SW_CONNECTOR_FEED_UNREADABLE([TD_FEED_NAME, context.source, `no <raw_speed_volume_list> element (it begins ${head}, ${bytes.length} bytes)`]);
      }
      if (parsed.periods.length === 0 && problems.length > 0) {
        throw SW_CONNECTOR_FEED_UNREADABLE([TD_FEED_NAME, context.source, `no period could be read: ${summarise(problems)}`]);
      }
      const latestAllowedMs = context.nowMs + (context.futureToleranceMs ?? DEFAULT_FUTURE_TOLERANCE_MS);
      const periods: Array<FeedPeriod<TdDetectorAggregate>> = [];
      for (const period of parsed.periods) {
        if (period.endMs > latestAllowedMs) {
          const aheadS = Math.round((period.endMs - context.nowMs) / 1000);
          problems.push({ code: 'future_period', period: period.label, message: `period ${period.label} ends ${aheadS} s after now (${new Date(context.nowMs).toISOString()}); its ${period.detectors.length} detectors are left out` });
          continue;
        }
        const readings: TdDetectorAggregate[] = [];
        for (const detector of period.detectors) {
          if (!sites.has(detector.detectorId)) {
            problems.push({ code: 'unknown_site', period: period.label, siteId: detector.detectorId, message: `period ${period.label}, detector ${detector.detectorId}: not in the detector catalogue, so it has no place; left out` });
            continue;
          }
          readings.push(aggregateDetector(detector));
        }
        periods.push({ label: period.label, startMs: period.startMs, endMs: period.endMs, complete: period.complete, readings });
      }
      return { periods, problems };
    },
  };
}
