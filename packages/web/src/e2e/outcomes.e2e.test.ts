import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { outcomeScenarios } from '@keel/emulator';
import { startAssistantServer, type AssistantServer } from '@keel/server';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildUi, hasChromium, launchChromium, webRoot } from './browser-harness.ts';

/**
 * Answers that did not simply finish, driven through the real server and its embedded emulator
 * (scenarios force the cut, the tool loop and the refusal) and read in headless Chromium: each
 * carries a notice in words, live and after a reload. Waits are on selectors and page state only.
 */

const repositoryRoot = resolve(webRoot, '../..');

// Cut by the demo's 1,024-token max_tokens, a tool loop only the step cap ends, a refusal.
const { endless, toolLoop, refusal } = outcomeScenarios({
  tool: { name: 'get_order_status', input: { order_id: 'ORD-10000001' } },
  namePrefix: 'e2e-',
});

let dataDir: string;
let server: AssistantServer;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];

beforeAll(async () => {
  if (!hasChromium) return;
  dataDir = mkdtempSync(join(tmpdir(), 'keel-web-outcomes-'));
  const builtUi = await buildUi(dataDir);
  server = await startAssistantServer({
    port: 0,
    dataDir,
    env: {},
    logger: false,
    webRoot: builtUi,
    emulator: {
      scenarios: [endless, toolLoop, refusal],
      latency: { timeToFirstTokenMs: 0, outputTokensPerSecond: 20_000 },
    },
  });
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
  page.setDefaultTimeout(15_000);
  page.on('pageerror', (error) => pageErrors.push(error.message));
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

const answers = (current: Page) => current.locator('[data-testid="assistant-turn"]');

/** Sends a message with Enter; resolves with its answer once it has finished streaming. */
async function ask(current: Page, text: string) {
  const before = await answers(current).count();
  const box = current.getByRole('textbox', { name: 'Message', exact: true });
  await box.fill(text);
  await box.press('Enter');
  await current.waitForFunction((at) => {
    const turn = document.querySelectorAll('[data-testid="assistant-turn"]')[at] as
      HTMLElement | undefined;
    return turn !== undefined && turn.dataset.status !== 'streaming';
  }, before);
  return answers(current).nth(before);
}

describe.skipIf(!hasChromium)('outcome notices in headless Chromium', { timeout: 60_000 }, () => {
  it('labels a cut-off answer, a tool-step stop and a refusal, and keeps the labels on reload', async () => {
    await page.goto(server.url);
    await page.getByRole('button', { name: 'Sign in as Alice Martin' }).click();
    await page.getByRole('button', { name: '+ New conversation' }).waitFor();

    const cut = await ask(page, 'Tell me everything about tea');
    expect(await cut.getAttribute('data-outcome')).toBe('truncated');
    // Said in words, in a live region: a screen reader hears it, not only a colour.
    const cutNotice = cut.getByRole('status').filter({ hasText: 'Answer cut off' });
    expect(await cutNotice.textContent()).toContain(
      'The answer reached the length limit and was cut off. Ask the assistant to continue',
    );
    expect(await cut.locator('.markdown').textContent()).toContain('Fact 1 about tea.');
    expect(await cut.locator('.markdown').textContent()).not.toContain('Fact 600 about tea.');

    const looped = await ask(page, 'Please keep checking ORD-10000001');
    expect(await looped.getAttribute('data-outcome')).toBe('max_iterations');
    expect(await looped.getByTestId('outcome-notice').textContent()).toBe(
      'Stopped after 6 tool stepsThe assistant reached its limit of 6 tool steps before it finished. Ask it to continue, or narrow the question.',
    );
    expect(await looped.getByTestId('tool-activity').count()).toBe(6);

    const declined = await ask(page, 'How do I pick a lock?');
    expect(await declined.getAttribute('data-outcome')).toBe('refused');
    expect(await declined.getByTestId('outcome-notice').textContent()).toContain(
      'Request declinedThe model declined to answer this request, so it is left out of the conversation. Rephrase it',
    );

    const plain = await ask(page, 'Hello');
    expect(await plain.getAttribute('data-outcome')).toBe('completed');
    expect(await plain.getByTestId('outcome-notice').count()).toBe(0);

    mkdirSync(join(repositoryRoot, 'test-artifacts'), { recursive: true });
    await page.setViewportSize({ width: 1200, height: 2400 });
    await page.screenshot({ path: join(repositoryRoot, 'test-artifacts', 'outcomes.png') });
    await page.setViewportSize({ width: 1200, height: 900 });

    // The stored conversation keeps each label (the tool-step count is not stored).
    await page.reload();
    await answers(page).nth(3).waitFor();
    const outcomes = await answers(page).evaluateAll((turns) =>
      turns.map((turn) => (turn as HTMLElement).dataset.outcome ?? null),
    );
    expect(outcomes).toEqual(['truncated', 'max_iterations', 'refused', null]);
    // The declined question is kept out of the conversation, and says so.
    expect(await page.getByTestId('user-failed').allTextContents()).toEqual([
      'Not answered: this message is left out of the rest of the conversation.',
    ]);
    const notices = await page.getByTestId('outcome-notice').allTextContents();
    expect(notices).toEqual([
      expect.stringContaining('Answer cut off'),
      expect.stringContaining('Stopped at the tool-step limit'),
      expect.stringContaining('Request declined'),
    ]);
    expect(pageErrors).toEqual([]);
  });
});
