import type { Hono } from 'hono';
import { formatPicoUsd, type LedgerGroup } from '@keel/core';
import type { AssistantRuntime } from '../app/assistant-runtime.ts';
import { ForbiddenError } from '../accounts/account-errors.ts';
import { usageQuery } from './api-schemas.ts';
import { authenticate } from './authenticate.ts';
import { parseWith } from './read-body.ts';

/** A ledger group as JSON (exact cost as text, a float for charts). */
function usageGroupView(group: LedgerGroup) {
  return {
    key: group.key,
    requests: group.requests,
    failedRequests: group.failedRequests,
    partialRequests: group.partialRequests,
    // Calls cut by a crash: their tokens and cost are estimates (included in the totals).
    estimatedRequests: group.estimatedRequests,
    estimatedCostUsdText: formatPicoUsd(group.estimatedCostPicoUsd),
    tokens: group.tokens,
    costUsd: Number(group.costUsdText),
    costUsdText: group.costUsdText,
    cacheHitRatio: group.cacheHitRatio,
  };
}

/** `GET /api/usage?groupBy=day|feature|model|session|user&days=N&scope=me|all`. */
export function usageRoutes(app: Hono, runtime: AssistantRuntime): void {
  app.get('/api/usage', async (c) => {
    const account = await authenticate(c, runtime.accounts);
    const query = parseWith(usageQuery, c.req.query(), 'usage query');
    const everyone = query.scope === 'all' || query.groupBy === 'user';
    if (everyone && account.role !== 'admin') throw new ForbiddenError('admin');
    const from = new Date(Date.now() - query.days * 86_400_000);
    const filter = { from, ...(everyone ? {} : { user: account.id }) };
    const [groups, total] = await Promise.all([
      runtime.ledger.summarize({ ...filter, groupBy: query.groupBy }),
      runtime.ledger.total(filter),
    ]);
    return c.json({
      scope: everyone ? 'all' : 'me',
      groupBy: query.groupBy,
      days: query.days,
      total: usageGroupView(total),
      groups: groups.map(usageGroupView),
    });
  });
}
