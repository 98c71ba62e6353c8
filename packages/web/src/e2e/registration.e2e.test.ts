import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Scenario } from '@keel/emulator';
import {
  AssistantClient,
  loadAssistantConfig,
  startAssistantServer,
  type AssistantServer,
} from '@keel/server';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildUi, hasChromium, launchChromium } from './browser-harness.ts';

/**
 * A visitor on a server whose registration needs an invite: the built UI in headless Chromium
 * asks for the code, says in words when it is wrong, signs the new account in with the right one,
 * and renders an answer's aligned table — all under the server's CSP (no inline styles), with no
 * policy violation. Waits are on selectors and page state only.
 */

const priceTable: Scenario = {
  name: 'e2e-price-table',
  match: { userContains: ['price table'] },
  replies: [
    {
      content: [
        {
          type: 'text',
          text: '| item | qty | price |\n| :--- | :-: | ---: |\n| Teapot | 1 | $40.00 |\n| Kettle | 2 | $64.00 |',
        },
      ],
    },
  ],
};

let dataDir: string;
let server: AssistantServer;
let browser: Browser;
let page: Page;
const violations: string[] = [];

beforeAll(async () => {
  if (!hasChromium) return;
  dataDir = mkdtempSync(join(tmpdir(), 'keel-web-register-'));
  const builtUi = await buildUi(dataDir);
  const config = loadAssistantConfig();
  server = await startAssistantServer({
    port: 0,
    dataDir,
    env: {},
    logger: false,
    webRoot: builtUi,
    config: { ...config, registration: { ...config.registration, mode: 'invite' } },
    emulator: {
      scenarios: [priceTable],
      latency: { timeToFirstTokenMs: 0, outputTokensPerSecond: 20_000 },
    },
  });
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
  page.setDefaultTimeout(15_000);
  await page.exposeFunction('reportViolation', (text: string) => violations.push(text));
  await page.addInitScript(() =>
    document.addEventListener('securitypolicyviolation', (event) =>
      (window as unknown as { reportViolation(text: string): void }).reportViolation(
        `${event.violatedDirective} ${event.blockedURI}`,
      ),
    ),
  );
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

/** An invite code made by the demo admin over the API, as an administrator would. */
async function createInvite(): Promise<string> {
  const admin = new AssistantClient({ baseUrl: server.url });
  await admin.login('admin@example.com', 'admin-demo');
  const response = await fetch(`${server.url}/api/invites`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${admin.token}` },
    body: '{}',
  });
  expect(response.status).toBe(201);
  return ((await response.json()) as { code: string }).code;
}

describe.skipIf(!hasChromium)(
  'registration by invite in headless Chromium',
  { timeout: 60_000 },
  () => {
    it('asks for the invite code, explains a wrong one, and signs in with the right one', async () => {
      await page.goto(server.url);
      await page.getByText('(you need an invite code)').waitFor();
      await page.getByRole('button', { name: 'Create an account' }).click();
      const form = page.getByRole('form', { name: 'Create an account' });
      await form.getByLabel('Your name').fill('Nora New');
      await form.getByLabel('Email').fill('nora@example.com');
      await form.getByLabel('Password (at least 8 characters)').fill('correct horse battery');
      await form.getByLabel('Invite code').fill('keel_inv_made-up');
      await form.getByRole('button', { name: 'Create account' }).click();

      const notice = form.getByRole('alert');
      await notice.waitFor();
      expect(await notice.getAttribute('data-error-code')).toBe('invite_required');
      expect(await notice.locator('.notice-title').textContent()).toBe('Invite code not valid');
      expect(await notice.textContent()).toContain('ask an administrator for a new one');

      await form.getByLabel('Invite code').fill(await createInvite());
      await form.getByRole('button', { name: 'Create account' }).click();
      await page.getByRole('button', { name: '+ New conversation' }).waitFor();

      // The new account chats; an aligned table renders with classes, not blocked inline styles.
      const box = page.getByRole('textbox', { name: 'Message', exact: true });
      await box.fill('Show me a price table');
      await box.press('Enter');
      const table = page.locator('[data-testid="assistant-turn"] table');
      await table.waitFor();
      expect(await table.locator('[style]').count()).toBe(0);
      expect(await table.locator('td.align-right').first().textContent()).toBe('$40.00');
      const alignment = await table
        .locator('td.align-right')
        .first()
        .evaluate((cell) => getComputedStyle(cell).textAlign);
      expect(alignment).toBe('right');
      expect(violations).toEqual([]);
    });
  },
);
