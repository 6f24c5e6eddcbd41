import type { FaultReport } from '../ingest/fault-report.js';

/**
 * The shape every fault scenario shares: one function of a scale and a progress callback, run at scale 1
 * by its vitest file (tests/integration, tests/e2e) and at a larger scale by `npm run faults`.
 */
export interface FaultScenarioOptions {
  /** 1 = the size `npm test` runs; N multiplies the stream (each scenario says what else grows with it). */
  scale: number;
  /** One line of progress, as it goes (the script prints it; a test may drop it). */
  progress: (message: string) => void;
}

export interface FaultResult {
  scenario: string;
  /** Messages sent (events published, incidents raised). */
  sent: number;
  /** Rows the database holds for them. */
  stored: number;
  /** Rows (or features on a page) beyond one per message. */
  duplicates: number;
  /** Messages sent with no row (or missing from a page). */
  lost: number;
  /** Dead letters written for the run's topics (0: every message was good and stayed good). */
  deadLetters: number;
  /** Wall time of the scenario, set-up included. */
  seconds: number;
  /** What the fault was, in one line (for the log and the README). */
  fault: string;
  /** Figures of this scenario: downtime, faults injected, reconnects. */
  details: Record<string, number | string>;
}

export type FaultScenario = (options: FaultScenarioOptions) => Promise<FaultResult>;

/** A scenario whose fault did not fall where it must (e.g. after the stream had ended): the run proves nothing. */
export class FaultScenarioInvalid extends Error {
  override readonly name = 'FaultScenarioInvalid';
}

/** Throw FaultScenarioInvalid unless `condition`: the run's premise (the fault fell mid-stream) held. */
export function premise(condition: boolean, message: string): void {
  if (!condition) throw new FaultScenarioInvalid(message);
}

/** A scale must be a positive integer; every size of a scenario is a whole number of its scale-1 size. */
export function checkScale(scale: number): void {
  if (!Number.isInteger(scale) || scale < 1) throw new RangeError(`scale must be a positive integer, got ${scale}`);
}

export function resultFrom(scenario: string, report: FaultReport, deadLetters: number, startedMs: number, details: FaultResult['details']): FaultResult {
  return {
    scenario,
    sent: report.eventsSent,
    stored: report.rowsStored,
    duplicates: report.duplicates,
    lost: report.lost,
    deadLetters,
    seconds: (performance.now() - startedMs) / 1000,
    fault: report.fault,
    details,
  };
}

/** Passed: every message exactly once, nothing dead-lettered. */
export function passed(result: FaultResult): boolean {
  return result.lost === 0 && result.duplicates === 0 && result.deadLetters === 0 && result.stored === result.sent;
}
