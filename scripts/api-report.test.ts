import { describe, expect, it } from 'vitest';
import { apiReports, staleApiReports } from './api-report.ts';

describe('public API listings (api/*.api.md)', () => {
  it('match the exports of every package: run `npm run api` and review the diff when this fails', () => {
    expect(staleApiReports()).toEqual([]);
  });

  it('list names with their kinds, so a listing that went stale would differ', () => {
    const core = apiReports().get('core.api.md') ?? '';
    expect(core).toContain('- function `defineTool`');
    expect(core).toContain('- function `generateObject`');
    expect(core).toMatch(/- class `KeelClient`/);
    expect(core).toMatch(/- type `KeelStreamEvent`/);
  });
});
