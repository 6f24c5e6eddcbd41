/**
 * The fleet's health table: one row per device, sortable by clicking a column's header (the server sorts,
 * so the order holds across the whole fleet, not one page), state by colour and word, and a checkbox per
 * row to choose the devices a push goes to.
 */
import { formatDateTime, formatNumber, locale, t, type MessageKey } from '../i18n/i18n.js';
import type { FleetDevice, FleetSort, SortOrder } from './fleet-api.js';

interface Column {
  key: string;
  label: MessageKey;
  sort?: FleetSort;
  numeric?: boolean;
}

const COLUMNS: readonly Column[] = [
  { key: 'device', label: 'fleet.col.device', sort: 'id' },
  { key: 'district', label: 'fleet.col.district', sort: 'district' },
  { key: 'state', label: 'fleet.col.state', sort: 'state' },
  { key: 'lastSeen', label: 'fleet.col.lastSeen', sort: 'lastSeenAt' },
  { key: 'models', label: 'fleet.col.models' },
  { key: 'config', label: 'fleet.col.config', sort: 'configVersion', numeric: true },
  { key: 'outbox', label: 'fleet.col.outbox', sort: 'outboxDepth', numeric: true },
  { key: 'fps', label: 'fleet.col.fps', sort: 'fps', numeric: true },
  { key: 'inference', label: 'fleet.col.inference', sort: 'inferenceMs', numeric: true },
];

const STATE_KEYS: Record<string, MessageKey> = { online: 'fleet.state.online', degraded: 'fleet.state.degraded', offline: 'fleet.state.offline' };

const number = (value: number | null | undefined, digits = 1): string =>
  value === null || value === undefined ? '–' : formatNumber(Math.round(value * 10 ** digits) / 10 ** digits);

export interface FleetTableProps {
  items: readonly FleetDevice[];
  sort: FleetSort;
  order: SortOrder;
  onSort: (sort: FleetSort) => void;
  selected: ReadonlySet<string>;
  onToggle: (id: string, on: boolean) => void;
}

export function FleetTable({ items, sort, order, onSort, selected, onToggle }: FleetTableProps) {
  const zh = locale.value === 'zh-HK';
  if (items.length === 0) return <p class="muted" data-testid="fleet-empty">{t('fleet.empty')}</p>;
  return (
    <div class="fleet-table-wrap">
      <table class="fleet-table" data-testid="fleet-table" aria-label={t('fleet.table')}>
        <thead>
          <tr>
            <th scope="col" class="select-col"><span class="sr-only">{t('fleet.col.select')}</span></th>
            {COLUMNS.map((c) => (
              <th key={c.key} scope="col" class={c.numeric ? 'num' : undefined} aria-sort={c.sort === sort ? (order === 'asc' ? 'ascending' : 'descending') : undefined}>
                {c.sort ? (
                  <button type="button" class="sort" onClick={() => onSort(c.sort!)} data-testid={`sort-${c.sort}`}>
                    {t(c.label)}
                    <span aria-hidden="true">{c.sort === sort ? (order === 'asc' ? ' ▲' : ' ▼') : ''}</span>
                  </button>
                ) : (
                  t(c.label)
                )}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {items.map((d) => {
            const pending = d.lastPush && d.lastPush.confirmedAt === null && (d.configVersion ?? 0) < d.lastPush.version ? d.lastPush.version : null;
            const label = d.name ?? d.id;
            return (
              <tr key={d.id} data-testid={`fleet-row-${d.id}`} data-state={d.state} class={selected.has(d.id) ? 'selected' : undefined}>
                <td class="select-col">
                  <input type="checkbox" checked={selected.has(d.id)} aria-label={t('fleet.selectDevice', { device: label })} onChange={(e) => onToggle(d.id, e.currentTarget.checked)} data-testid={`select-${d.id}`} />
                </td>
                <td>
                  <span class="device-name">{label}</span>
                  {d.name && <span class="muted small device-id"> {d.id}</span>}
                  <div class="muted small">{t(`fleet.kind.${d.kind}` as MessageKey)}</div>
                </td>
                <td>{d.district === null ? '–' : zh ? (d.districtNameZh ?? d.district) : (d.districtNameEn ?? d.district)}</td>
                <td>
                  <span class={`state state-${d.state}`}>
                    <span class={`dot dot-state-${d.state}`} aria-hidden="true" />
                    {STATE_KEYS[d.state] ? t(STATE_KEYS[d.state]!) : d.state}
                  </span>
                </td>
                <td>
                  <time dateTime={d.lastSeenAt}>{formatDateTime(d.lastSeenAt)}</time>
                  {d.health === null && <div class="muted small">{t('fleet.noHealth')}</div>}
                </td>
                <td class="small">{Object.entries(d.models).map(([name, version]) => `${name} ${version}`).join(', ') || '–'}</td>
                <td class="num" data-testid={`config-${d.id}`}>
                  {d.configVersion === null ? '–' : `v${d.configVersion}`}
                  {pending !== null && <div class="badge badge-pending small">{t('fleet.configPending', { version: pending })}</div>}
                </td>
                <td class="num">{number(d.health?.outboxDepth, 0)}</td>
                <td class="num">{number(d.health?.fps)}</td>
                <td class="num">{number(d.health?.inferenceMsP95)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
