import { useEffect, useState } from 'react';
import type { Account, UsageGrouping, UsageReport } from '../api/api-types.ts';
import type { TurnError } from '../chat/chat-turn.ts';
import { useApi } from './api-context.ts';
import { BarChart } from './bar-chart.tsx';
import { ErrorNotice } from './error-notice.tsx';
import { formatPercent, formatTokens, formatUsd } from './format.ts';
import { toTurnError } from './to-turn-error.ts';

type Reports = Partial<Record<UsageGrouping, UsageReport>>;

/** Cost charts by day, feature and model (and by user, for admins), with the period's totals. */
export function UsagePage({ account }: { account: Account }) {
  const api = useApi();
  const [days, setDays] = useState(30);
  const [reports, setReports] = useState<Reports>({});
  const [error, setError] = useState<TurnError | undefined>();
  const [loading, setLoading] = useState(true);

  useEffect(() => {
    let cancelled = false;
    const groupings: UsageGrouping[] =
      account.role === 'admin' ? ['day', 'feature', 'model', 'user'] : ['day', 'feature', 'model'];
    setLoading(true);
    Promise.all(groupings.map((groupBy) => api.usage(groupBy, days))).then(
      (loaded) => {
        if (cancelled) return;
        setReports(Object.fromEntries(loaded.map((report) => [report.groupBy, report])));
        setError(undefined);
        setLoading(false);
      },
      (caught: unknown) => {
        if (cancelled) return;
        setError(toTurnError(caught));
        setLoading(false);
      },
    );
    return () => {
      cancelled = true;
    };
  }, [api, account.role, days]);

  const total = reports.day?.total;
  const bars = (report: UsageReport | undefined, sortByCost: boolean) => {
    const groups = [...(report?.groups ?? [])];
    if (sortByCost) groups.sort((a, b) => b.costUsd - a.costUsd);
    else groups.sort((a, b) => a.key.localeCompare(b.key));
    return groups.map((group) => ({ label: group.key || '(none)', value: group.costUsd }));
  };

  return (
    <main className="usage-page" aria-labelledby="usage-title">
      <header className="usage-header">
        <h1 id="usage-title">Usage and cost</h1>
        <label>
          Period{' '}
          <select value={days} onChange={(event) => setDays(Number(event.target.value))}>
            <option value={1}>Today</option>
            <option value={7}>Last 7 days</option>
            <option value={30}>Last 30 days</option>
            <option value={90}>Last 90 days</option>
          </select>
        </label>
      </header>
      <p className="muted">
        {account.role === 'admin'
          ? 'Everyone’s usage is shown by user below; the other charts are yours.'
          : 'Your own usage.'}
      </p>
      {error ? <ErrorNotice error={error} /> : null}
      {loading ? <p role="status">Loading usage…</p> : null}
      {total ? (
        <dl className="totals" data-testid="usage-totals">
          <div>
            <dt>Cost</dt>
            <dd>{formatUsd(total.costUsd)}</dd>
          </div>
          <div>
            <dt>Requests</dt>
            <dd>{total.requests}</dd>
          </div>
          <div>
            <dt>Tokens in</dt>
            <dd>
              {formatTokens(
                total.tokens.input +
                  total.tokens.cacheRead +
                  total.tokens.cacheWrite5m +
                  total.tokens.cacheWrite1h,
              )}
            </dd>
          </div>
          <div>
            <dt>Tokens out</dt>
            <dd>{formatTokens(total.tokens.output)}</dd>
          </div>
          <div>
            <dt>Cache hit</dt>
            <dd>{formatPercent(total.cacheHitRatio)}</dd>
          </div>
        </dl>
      ) : null}
      <div className="charts">
        <BarChart title="Cost by day" bars={bars(reports.day, false)} format={formatUsd} />
        <BarChart title="Cost by feature" bars={bars(reports.feature, true)} format={formatUsd} />
        <BarChart title="Cost by model" bars={bars(reports.model, true)} format={formatUsd} />
        {account.role === 'admin' ? (
          <BarChart title="Cost by user" bars={bars(reports.user, true)} format={formatUsd} />
        ) : null}
      </div>
    </main>
  );
}
