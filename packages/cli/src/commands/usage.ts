import { join, resolve } from 'node:path';
import { formatPicoUsd, LedgerStore, openStorage, type LedgerGroup } from '@keel/core';
import type { Command } from '../command.ts';
import { integerFlag, parseFlags } from './cli-flags.ts';

const dimensions = ['feature', 'user', 'model', 'day'] as const;
type Dimension = (typeof dimensions)[number];

/** A fixed-width text table of ledger groups, largest spend first. */
function usageTable(title: string, groups: LedgerGroup[]): string {
  const rows = groups.map((group) => [
    group.key ?? '(untagged)',
    String(group.requests),
    String(
      group.tokens.input +
        group.tokens.cacheRead +
        group.tokens.cacheWrite5m +
        group.tokens.cacheWrite1h,
    ),
    String(group.tokens.output),
    `${(group.cacheHitRatio * 100).toFixed(1)}%`,
    `$${group.costUsdText}`,
  ]);
  const header = [title, 'calls', 'input tokens', 'output tokens', 'cache hit', 'cost'];
  const widths = header.map((cell, column) =>
    Math.max(cell.length, ...rows.map((row) => row[column]!.length)),
  );
  const line = (cells: string[]) =>
    cells
      .map((cell, column) =>
        column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!),
      )
      .join('  ');
  return [
    line(header),
    widths.map((width) => '-'.repeat(width)).join('  '),
    ...rows.map(line),
  ].join('\n');
}

export const usageCommand: Command = {
  name: 'usage',
  summary: 'Show who and what spent the most, from the call ledger',
  help: `Usage: keel usage [options]

Tables of the top spenders from the ledger every Keel call is recorded in (the assistant's
database): by feature, user, model and day.

Options:
  --by D           One table only: feature, user, model or day (default: all four)
  --days N         Look back N days (default 30)
  --limit N        Rows per table (default 10)
  --database U     Storage URL (default KEEL_DATABASE_URL, else KEEL_DATA_DIR/keel.db, else ./.keel/keel.db)
  -h, --help       Show this help`,
  async run(argv) {
    const parsed = parseFlags(argv, ['by', 'days', 'limit', 'database']);
    if (!parsed.ok) {
      console.error(`keel usage: ${parsed.message}`);
      return 2;
    }
    const { values } = parsed.flags;
    const by = values.get('by');
    if (by !== undefined && !dimensions.includes(by as Dimension)) {
      console.error(`keel usage: --by must be one of ${dimensions.join(', ')}`);
      return 2;
    }
    const days = integerFlag(values.get('days'), 'days');
    const limit = integerFlag(values.get('limit'), 'limit');
    if (typeof days === 'string' || typeof limit === 'string') {
      console.error(`keel usage: ${typeof days === 'string' ? days : limit}`);
      return 2;
    }
    const storage = await openStorage({
      url:
        values.get('database') ??
        process.env.KEEL_DATABASE_URL ??
        join(resolve(process.env.KEEL_DATA_DIR ?? '.keel'), 'keel.db'),
    });
    try {
      const ledger = new LedgerStore({ storage });
      const from = new Date(Date.now() - (days ?? 30) * 86_400_000);
      const tables: string[] = [];
      for (const dimension of by ? [by as Dimension] : dimensions) {
        const groups =
          dimension === 'day'
            ? (await ledger.summarize({ from, groupBy: 'day' }))
                .sort((a, b) => String(b.key).localeCompare(String(a.key)))
                .slice(0, limit ?? 10)
            : await ledger.topSpenders({ from, by: dimension, limit: limit ?? 10 });
        tables.push(usageTable(dimension, groups));
      }
      const total = await ledger.total({ from });
      // Calls cut by a crash are in the totals with an estimated spend: say how much of it.
      const estimated =
        total.estimatedRequests > 0
          ? ` (${total.estimatedRequests} interrupted by a crash, $${formatPicoUsd(total.estimatedCostPicoUsd)} of it estimated)`
          : '';
      console.log(
        `${tables.join('\n\n')}\n\nTotal over ${days ?? 30} days: ${total.requests} calls, $${total.costUsdText}${estimated}`,
      );
      return 0;
    } finally {
      await storage.close();
    }
  },
};
