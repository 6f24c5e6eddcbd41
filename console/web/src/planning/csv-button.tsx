/**
 * "Download CSV": the chart's own query with format=csv, so the file holds exactly the rows the chart drew,
 * as the API renders them (the API's CSV export is the one CSV writer).
 */
import { useState } from 'preact/hooks';
import { t } from '../i18n/i18n.js';
import { csvUrl } from './analytics-query.js';

export function CsvButton({ url, name, testId }: { url: string | null; name: string; testId: string }) {
  const [failed, setFailed] = useState<string | undefined>();
  const download = async () => {
    if (!url) return;
    setFailed(undefined);
    try {
      const response = await fetch(csvUrl(url), { credentials: 'same-origin', headers: { accept: 'text/csv' } });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      const blob = await response.blob();
      const link = document.createElement('a');
      link.href = URL.createObjectURL(blob);
      link.download = `${name}.csv`;
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
    } catch (err) {
      setFailed(err instanceof Error ? err.message : String(err));
    }
  };
  return (
    <>
      <button type="button" class="csv" disabled={!url} onClick={() => void download()} data-testid={testId} data-url={url ?? ''}>
        {t('planning.csv')}
      </button>
      {failed && <span class="problem" role="alert">{t('planning.csvFailed', { message: failed })}</span>}
    </>
  );
}
