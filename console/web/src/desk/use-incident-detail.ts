/**
 * One incident's detail for the open view: GET /incidents/:id (log, units, events, device), then kept live
 * from `incident` socket messages. A message is shown in the timeline at once; a GET shortly after brings
 * what messages do not carry (a note's text, the units, new events). Opening the view records "seen by".
 */
import { useEffect, useState } from 'preact/hooks';
import { ApiError, api } from '../api/client.js';
import type { IncidentDetail, IncidentNotification } from '../api/types.js';
import { incidentMessages, upsertIncidents } from '../live/store.js';
import { markViewed } from './incident-actions.js';
import { entryFromLog, entryFromMessage, mergeTimeline, type TimelineEntry } from './timeline.js';

/** Messages come in bursts (an action, its NOTIFY, a view): one GET after the burst. */
const REFRESH_DELAY_MS = 250;

interface LiveEntry {
  entry: TimelineEntry;
  arrivedMs: number;
}

export interface DetailState {
  detail: IncidentDetail | null;
  timeline: TimelineEntry[];
  error: string | null;
  /** Reads the incident again (after a conflict, or by hand). */
  refresh: () => void;
}

export function useIncidentDetail(id: string): DetailState {
  const [detail, setDetail] = useState<IncidentDetail | null>(null);
  const [live, setLive] = useState<LiveEntry[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [generation, setGeneration] = useState(0);

  useEffect(() => {
    setDetail(null);
    setLive([]);
    setError(null);
    markViewed(id).catch((cause: unknown) => console.error('desk: view not recorded', cause));
  }, [id]);

  useEffect(() => {
    let current = true;
    const startedLive = Date.now();
    api<IncidentDetail>('GET', `/incidents/${encodeURIComponent(id)}`)
      .then((body) => {
        if (!current) return;
        setDetail(body);
        upsertIncidents([body]);
        // The GET holds everything logged before it was sent; keep only the messages that arrived after
        // (by this page's clock: the server's may differ).
        setLive((entries) => entries.filter((entry) => entry.arrivedMs >= startedLive));
        setError(null);
      })
      .catch((cause: unknown) => {
        if (current) setError(cause instanceof ApiError ? cause.message : String(cause));
      });
    return () => {
      current = false;
    };
  }, [id, generation]);

  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const off = incidentMessages.on((message: IncidentNotification) => {
      if (message.incident.id !== id) return;
      setLive((entries) => [...entries, { entry: entryFromMessage(message), arrivedMs: Date.now() }]);
      clearTimeout(timer);
      timer = setTimeout(() => setGeneration((n) => n + 1), REFRESH_DELAY_MS);
    });
    return () => {
      off();
      clearTimeout(timer);
    };
  }, [id]);

  const timeline = mergeTimeline(detail?.log.map(entryFromLog) ?? [], live.map((item) => item.entry));
  return { detail, timeline, error, refresh: () => setGeneration((n) => n + 1) };
}
