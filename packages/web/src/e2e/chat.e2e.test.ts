import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { EmulatorAdmin, startEmulator, type EmulatorHandle, type Scenario } from '@keel/emulator';
import { loadAssistantConfig, startAssistantServer, type AssistantServer } from '@keel/server';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildUi, hasChromium, launchChromium, webRoot } from './browser-harness.ts';
import { startCitingUpstream, type CitingUpstream } from './citing-upstream.ts';

// Generous per-test timeouts: under `npm test` this file shares two cores with every other
// suite. Every wait inside is on a selector or page state, never a fixed sleep.

/**
 * The real UI, built from these sources, in Debian's headless Chromium, against a real assistant
 * server on a socket with its embedded emulator. Waits are on selectors and page state only.
 */

const repositoryRoot = resolve(webRoot, '../..');

const longStory: Scenario = {
  name: 'e2e-long-story',
  match: { userContains: ['long story'] },
  replies: [
    {
      content: [
        {
          type: 'text',
          text: Array.from(
            { length: 400 },
            (_, i) => `Sentence ${i + 1} of a long story about tea.`,
          ).join(' '),
        },
      ],
    },
  ],
};

const teaFacts: Scenario = {
  name: 'e2e-tea-facts',
  match: { userContains: ['tell me about tea'] },
  replies: [
    {
      content: [
        {
          type: 'text',
          text:
            '**Tea** is brewed from the leaves of *Camellia sinensis*. Green tea is steamed or pan-fired soon after picking, ' +
            'black tea is fully oxidised, and oolong sits between the two. Water just off the boil suits black tea; ' +
            'green tea prefers it cooler, around eighty degrees, for two or three minutes.',
        },
      ],
    },
  ],
};

/** A model answer carrying an HTML/script injection. */
const hostileAnswer: Scenario = {
  name: 'e2e-hostile-html',
  match: { userContains: ['show me some html'] },
  replies: [
    {
      content: [
        {
          type: 'text',
          text:
            'Here you go: <script>window.__pwned = "script"</script> ' +
            '<img src="x" onerror="window.__pwned = \'onerror\'"> ' +
            "[click me](javascript:window.__pwned='link') and **bold** text.",
        },
      ],
    },
  ],
};

// A real 2x2 PNG, as a customer's photo would arrive.
const photo = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAFklEQVR4nGP8z8DAwMDAxMDAwMDAAAANHQEDasKb6QAAAABJRU5ErkJggg==',
  'base64',
);

let dataDir: string;
let builtUi: string;
let server: AssistantServer;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];

beforeAll(async () => {
  if (!hasChromium) return;
  dataDir = mkdtempSync(join(tmpdir(), 'keel-web-e2e-'));
  builtUi = await buildUi(dataDir);
  server = await startAssistantServer({
    port: 0,
    dataDir,
    env: {},
    logger: false,
    webRoot: builtUi,
    emulator: {
      scenarios: [longStory, teaFacts, hostileAnswer],
      // Slow enough that an answer visibly streams and a long one can be stopped.
      latency: { timeToFirstTokenMs: 20, outputTokensPerSecond: 400 },
    },
  });
  browser = await launchChromium();
  page = await openPage(browser);
}, 60_000);

async function openPage(current: Browser): Promise<Page> {
  const page = await current.newPage({ viewport: { width: 1200, height: 900 } });
  page.setDefaultTimeout(15_000);
  page.on('pageerror', (error) => pageErrors.push(error.message));
  page.on('dialog', (dialog) => {
    // Only the delete confirmation may open a dialog; an alert would be an injected script.
    if (dialog.type() === 'confirm') void dialog.accept();
    else {
      pageErrors.push(`unexpected ${dialog.type()}: ${dialog.message()}`);
      void dialog.dismiss();
    }
  });
  return page;
}

afterAll(async () => {
  await browser?.close();
  await server?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

const messageBox = (current: Page) =>
  current.getByRole('textbox', { name: 'Message', exact: true });
const lastAnswer = (current: Page) => current.locator('[data-testid="assistant-turn"]').last();

/** Types a message and sends it with Enter; resolves when the answer has finished streaming. */
async function ask(current: Page, text: string): Promise<void> {
  const before = await current.locator('[data-testid="assistant-turn"]').count();
  await messageBox(current).fill(text);
  await messageBox(current).press('Enter');
  await current.locator('[data-testid="assistant-turn"]').nth(before).waitFor();
  await expectSettled(current, before);
}

async function expectSettled(current: Page, index: number): Promise<void> {
  await current.waitForFunction((at) => {
    const turn = document.querySelectorAll('[data-testid="assistant-turn"]')[at] as
      HTMLElement | undefined;
    return turn !== undefined && turn.dataset.status !== 'streaming';
  }, index);
}

describe.skipIf(!hasChromium)('the web UI in headless Chromium', { timeout: 40_000 }, () => {
  it('shows the emulator banner and the demo accounts, and signs in with one', async () => {
    await page.goto(server.url);
    await expect
      .poll(() => page.getByTestId('mode-banner').textContent())
      .toContain('Emulated replies — no ANTHROPIC_API_KEY set');
    await page.getByText('alice@example.com').waitFor();
    await page.getByRole('button', { name: 'Sign in as Alice Martin' }).click();
    await page.getByRole('button', { name: '+ New conversation' }).waitFor();
    expect(await page.locator('.account').textContent()).toContain('Alice Martin');
  });

  it('streams an answer: the text grows in several steps before it is complete', async () => {
    await page.evaluate(() => {
      const lengths: number[] = [];
      (window as unknown as { __lengths: number[] }).__lengths = lengths;
      new MutationObserver(() => {
        const turns = document.querySelectorAll<HTMLElement>('[data-testid="assistant-turn"]');
        const last = turns[turns.length - 1];
        if (last?.dataset.status === 'streaming')
          lengths.push(last.querySelector('.markdown')?.textContent?.length ?? 0);
      }).observe(document.body, {
        subtree: true,
        childList: true,
        characterData: true,
        attributes: true,
      });
    });
    // Shift+Enter is a new line, not a send.
    await messageBox(page).fill('Please');
    await messageBox(page).press('Shift+Enter');
    expect(await messageBox(page).inputValue()).toBe('Please\n');
    expect(await page.locator('[data-testid="assistant-turn"]').count()).toBe(0);
    await ask(page, 'Please tell me about tea');
    const answer = lastAnswer(page);
    expect(await answer.getAttribute('data-status')).toBe('complete');
    const finalText = (await answer.locator('.markdown').textContent()) ?? '';
    expect(finalText).toContain('Tea is brewed from the leaves of Camellia sinensis.');
    expect(await answer.locator('.markdown strong').first().textContent()).toBe('Tea');
    const lengths = await page.evaluate(
      () => (window as unknown as { __lengths: number[] }).__lengths,
    );
    const partial = new Set(lengths.filter((length) => length > 0 && length < finalText.length));
    expect(partial.size).toBeGreaterThanOrEqual(3);
    // The first question names the session in the list.
    await page
      .getByRole('button', { name: 'Please tell me about tea', exact: false })
      .first()
      .waitFor();
  });

  it('shows tool activity for an order question, and the answer gives the status', async () => {
    await ask(page, 'What is the status of order ORD-10000001?');
    const answer = lastAnswer(page);
    const tool = answer.locator('[data-testid="tool-activity"]');
    expect(await tool.getAttribute('data-tool')).toBe('get_order_status');
    expect(await tool.getAttribute('data-state')).toBe('done');
    expect(await tool.textContent()).toContain('ORD-10000001: shipped');
    expect((await answer.locator('.markdown').allTextContents()).join(' ')).toMatch(/shipped/i);
  });

  it('answers a policy question from the store policies', async () => {
    await ask(page, 'What is your return policy for damaged items?');
    const answer = lastAnswer(page);
    expect(await answer.locator('[data-testid="tool-activity"]').getAttribute('data-tool')).toBe(
      'search_policies',
    );
    expect((await answer.locator('.markdown').allTextContents()).join(' ')).toContain('30 days');
  });

  it('shows the cost of each answer and of the session', async () => {
    const cost = await lastAnswer(page).getByTestId('turn-cost').textContent();
    expect(cost).toMatch(/^\$\d+\.\d+$/);
    expect(Number(cost!.slice(1))).toBeGreaterThan(0);
    const session = await page.getByTestId('session-usage').textContent();
    expect(session).toMatch(/This conversation: [\d,]+ tokens · cache hit \d+% · \$\d+\.\d+/);
    expect(Number(/\$(\d+\.\d+)/.exec(session!)![1])).toBeGreaterThan(Number(cost!.slice(1)));

    mkdirSync(join(repositoryRoot, 'test-artifacts'), { recursive: true });
    // Tall enough to show the whole conversation: streamed text, tool activity, policy answer.
    await page.setViewportSize({ width: 1200, height: 2000 });
    await page.screenshot({ path: join(repositoryRoot, 'test-artifacts', 'chat.png') });
    await page.setViewportSize({ width: 1200, height: 900 });
  });

  it('attaches an image with a preview, and the answer describes it', async () => {
    await page.getByRole('button', { name: '+ New conversation' }).click();
    await page.getByText('How can we help?').waitFor();
    await page
      .locator('#attach-input')
      .setInputFiles({ name: 'teapot.png', mimeType: 'image/png', buffer: photo });
    await page.getByRole('img', { name: 'Preview of teapot.png' }).waitFor();
    // A file that is not an image is refused with a reason.
    await page
      .locator('#attach-input')
      .setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('hi') });
    expect(await page.getByRole('alert').filter({ hasText: 'notes.txt' }).textContent()).toContain(
      'is not a PNG, JPEG, GIF or WebP image',
    );
    await ask(page, 'My teapot arrived like this');
    expect(await page.locator('[data-testid="user-turn"]').last().getByRole('img').count()).toBe(1);
    expect((await lastAnswer(page).locator('.markdown').allTextContents()).join(' ')).toContain(
      'PNG image, 2x2',
    );
    expect(await page.getByRole('img', { name: 'Preview of teapot.png' }).count()).toBe(0);
  });

  it('renders a hostile answer as text: no script runs, no element is injected', async () => {
    await ask(page, 'Please show me some html');
    const answer = lastAnswer(page);
    const markdown = answer.locator('.markdown');
    expect(await markdown.textContent()).toContain('<script>window.__pwned = "script"</script>');
    expect(await markdown.locator('script, img, iframe').count()).toBe(0);
    expect(await markdown.locator('a[href^="javascript:"]').count()).toBe(0);
    expect(await markdown.locator('strong').textContent()).toBe('bold');
    // Give an injected onerror every chance: the page is idle and the answer fully rendered.
    await page.evaluate(
      () => new Promise((done) => requestAnimationFrame(() => setTimeout(done, 0))),
    );
    expect(
      await page.evaluate(() => (window as unknown as { __pwned?: string }).__pwned),
    ).toBeUndefined();
    expect(pageErrors).toEqual([]);
  });

  it('shows an upstream retry while it answers', async () => {
    const admin = new EmulatorAdmin({ baseUrl: server.runtime.emulator!.url });
    await admin.setFaults([{ type: 'overloaded', count: 1 }]);
    try {
      await ask(page, 'Hello again');
      expect(await lastAnswer(page).getByTestId('retry').textContent()).toMatch(
        /The model is overloaded; retry 1 in \d+\.\d s/,
      );
      expect(await lastAnswer(page).getAttribute('data-status')).toBe('complete');
    } finally {
      await admin.setFaults([]);
    }
  });

  it('stops a long answer with the stop button; the turn keeps its stop notice after a reload', async () => {
    const previous = await page.evaluate(() => location.hash);
    await page.getByRole('button', { name: '+ New conversation' }).click();
    await page.waitForFunction((before) => location.hash !== before, previous);
    await page.getByText('How can we help?').waitFor();
    await messageBox(page).fill('Tell me a long story about tea');
    await messageBox(page).press('Enter');
    const answer = lastAnswer(page);
    await answer.locator('.markdown').filter({ hasText: 'Sentence 3 ' }).waitFor();
    await page.getByRole('button', { name: 'Stop' }).click();
    await expectSettled(page, 0);
    expect(await answer.getAttribute('data-status')).toBe('incomplete');
    // The stop is said in words on the answer, not only by its styling.
    expect(await answer.getByTestId('outcome-notice').getAttribute('data-outcome')).toBe('stopped');
    expect(await answer.getByTestId('outcome-notice').textContent()).toContain('Answer stopped');
    expect(await answer.locator('.markdown').textContent()).not.toContain('Sentence 400');
    expect(await answer.getByTestId('turn-usage').textContent()).toContain('(partial)');
    await page.getByRole('button', { name: 'Send' }).waitFor();

    // Resume: the stored conversation shows the same cut answer, with the same stop notice.
    await page.reload();
    const resumed = lastAnswer(page);
    await resumed.waitFor();
    expect(await resumed.getAttribute('data-status')).toBe('incomplete');
    expect(await resumed.getByTestId('outcome-notice').getAttribute('data-outcome')).toBe(
      'stopped',
    );
    expect(await resumed.getByTestId('outcome-notice').textContent()).toContain('Answer stopped');
    expect(await resumed.getByTestId('incomplete').count()).toBe(0);
    expect(await resumed.locator('.markdown').textContent()).toContain(
      'Sentence 1 of a long story',
    );
  });

  it('renames and deletes a conversation from the list', async () => {
    const title = (await page.locator('.sessions li.active .session-open').textContent())!;
    await page.getByRole('button', { name: `Rename ${title}` }).click();
    await page.getByLabel('New title').fill('Stopped story');
    await page.getByLabel('New title').press('Enter');
    await page.getByRole('button', { name: 'Stopped story', exact: true }).waitFor();
    const count = await page.locator('.sessions li').count();
    await page.getByRole('button', { name: 'Delete Stopped story' }).click();
    await page.waitForFunction(
      (before) => document.querySelectorAll('.sessions li').length === before - 1,
      count,
    );
    expect(await page.getByRole('button', { name: 'Stopped story', exact: true }).count()).toBe(0);
  });

  it('charts cost by day, feature and model on the usage page', async () => {
    await page.getByRole('link', { name: 'Usage' }).click();
    await page.getByTestId('usage-totals').waitFor();
    for (const chart of ['chart-cost-by-day', 'chart-cost-by-feature', 'chart-cost-by-model']) {
      expect(await page.getByTestId(chart).locator('rect.chart-bar').count()).toBeGreaterThan(0);
    }
    expect(await page.getByTestId('chart-cost-by-feature').textContent()).toContain('support-chat');
    await page.screenshot({ path: join(repositoryRoot, 'test-artifacts', 'usage.png') });
    // A phone-sized screen: the conversation list sits above the chat, nothing overflows sideways.
    await page.setViewportSize({ width: 390, height: 800 });
    await page.getByRole('link', { name: 'Chat' }).click();
    await page.getByRole('textbox', { name: 'Message', exact: true }).waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
      390,
    );
    await page.screenshot({ path: join(repositoryRoot, 'test-artifacts', 'chat-narrow.png') });
    await page.setViewportSize({ width: 1200, height: 900 });
    expect(pageErrors).toEqual([]);
  });
});

describe.skipIf(!hasChromium)(
  'citations, with a stand-in for Claude that streams them',
  { timeout: 40_000 },
  () => {
    let emulator: EmulatorHandle;
    let upstream: CitingUpstream;
    let claudeServer: AssistantServer;
    let claudePage: Page;

    beforeAll(async () => {
      emulator = await startEmulator();
      upstream = await startCitingUpstream(emulator.url);
      claudeServer = await startAssistantServer({
        port: 0,
        dataDir: join(dataDir, 'claude-mode'),
        env: { ANTHROPIC_API_KEY: 'e2e-key', ANTHROPIC_BASE_URL: upstream.url },
        logger: false,
        webRoot: builtUi,
      });
      claudePage = await openPage(browser);
    }, 30_000);

    afterAll(async () => {
      await claudePage?.close();
      await claudeServer?.close();
      await upstream?.close();
      await emulator?.close();
    });

    it('shows each source the answer cites: title and file, the quoted span on demand', async () => {
      await claudePage.goto(claudeServer.url);
      await claudePage.getByRole('button', { name: 'Sign in as Alice Martin' }).click();
      await claudePage.getByRole('button', { name: '+ New conversation' }).waitFor();
      // Answers come from "Claude" here: no emulator banner.
      expect(await claudePage.getByTestId('mode-banner').count()).toBe(0);
      await ask(claudePage, 'How long does standard shipping take?');
      expect(upstream.citationsStreamed()).toBeGreaterThan(0);
      const citations = lastAnswer(claudePage).locator('[data-testid="citation"]');
      expect(await citations.count()).toBeGreaterThan(0);
      const first = citations.first();
      expect(await first.locator('.citation-source').textContent()).toMatch(/^knowledge\/\w+\.md$/);
      expect(await first.locator('.citation-title').textContent()).not.toBe('');
      const quote = first.locator('blockquote');
      expect(await quote.isVisible()).toBe(false);
      await first.locator('summary').click();
      expect(await quote.isVisible()).toBe(true);
      expect((await quote.textContent())!.length).toBeGreaterThan(10);
      await claudePage.screenshot({
        path: join(repositoryRoot, 'test-artifacts', 'citations.png'),
      });
      // Resumed from storage, the answer still shows its sources.
      await claudePage.reload();
      await lastAnswer(claudePage).locator('[data-testid="citation"]').first().waitFor();
      expect(pageErrors).toEqual([]);
    });
  },
);

describe.skipIf(!hasChromium)('refusals a person understands', { timeout: 40_000 }, () => {
  let limitedServer: AssistantServer;
  let limitedPage: Page;
  // A pinned clock keeps all three messages in one rate-limit minute.
  const minute = Math.floor(Date.now() / 60_000) * 60_000;

  beforeAll(async () => {
    const demo = loadAssistantConfig();
    limitedServer = await startAssistantServer({
      port: 0,
      dataDir: join(dataDir, 'limited'),
      env: {},
      logger: false,
      webRoot: builtUi,
      now: () => minute + 1_000,
      config: {
        ...demo,
        budgets: [{ scope: 'session', period: 'total', maxUsd: 0.001 }],
        rateLimits: { requestsPerMinute: 2 },
      },
    });
    limitedPage = await openPage(browser);
  }, 30_000);

  afterAll(async () => {
    await limitedPage?.close();
    await limitedServer?.close();
  });

  it('says which budget refused and what to do, then when to retry after too many messages', async () => {
    await limitedPage.goto(limitedServer.url);
    await limitedPage.getByRole('button', { name: 'Sign in as Bob Chen' }).click();
    await limitedPage.getByRole('button', { name: '+ New conversation' }).waitFor();
    await ask(limitedPage, 'Where is my teapot?');
    const budget = lastAnswer(limitedPage).getByRole('alert');
    expect(await budget.getAttribute('data-error-code')).toBe('budget_exceeded');
    expect(await budget.textContent()).toMatch(
      /^Budget reachedThe budget of this conversation is \$0\.0010\. \$0\.0000 is already spent\. Start a new conversation to go on\./,
    );
    await ask(limitedPage, 'Where is my teapot, please?');
    await ask(limitedPage, 'Hello?');
    const limited = lastAnswer(limitedPage).getByRole('alert');
    expect(await limited.getAttribute('data-error-code')).toBe('rate_limited');
    expect(await limited.textContent()).toMatch(
      /^Too many messagesYou are sending messages faster than allowed \(the limit is 2 a minute\)\. Try again in 59 s, at .+\.$/,
    );
    expect(pageErrors).toEqual([]);
  });
});
