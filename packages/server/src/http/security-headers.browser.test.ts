import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { startAssistantServer } from '../app/start-assistant-server.ts';

// The built UI (`npm run build -w @keel/web`, run by `npm install`) in Debian's Chromium.
const chromiumPath = process.env.KEEL_CHROMIUM_PATH ?? '/usr/bin/chromium';
const webRoot = fileURLToPath(new URL('../../../web/dist', import.meta.url));
const runnable = existsSync(chromiumPath) && existsSync(join(webRoot, 'index.html'));
const dataDir = mkdtempSync(join(tmpdir(), 'keel-csp-'));
let browser: Browser | undefined;

afterAll(async () => {
  await browser?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe.skipIf(!runnable)('the built web UI under the CSP and the CSRF guard, in Chromium', () => {
  it('signs in, answers a question with a tool call and starts a new session without a CSP violation', async () => {
    const server = await startAssistantServer({
      port: 0,
      dataDir,
      env: {},
      logger: false,
      webRoot,
    });
    try {
      browser = await chromium.launch({ executablePath: chromiumPath, args: ['--no-sandbox'] });
      const page = await browser.newPage();
      const violations: string[] = [];
      await page.exposeFunction('reportViolation', (text: string) => violations.push(text));
      await page.addInitScript(() =>
        document.addEventListener('securitypolicyviolation', (event) =>
          (window as unknown as { reportViolation(text: string): void }).reportViolation(
            `${event.violatedDirective} ${event.blockedURI}`,
          ),
        ),
      );
      await page.goto(server.url);
      await page.getByRole('button', { name: 'Sign in as Alice Martin' }).click();
      await page.getByRole('button', { name: '+ New conversation' }).waitFor();
      const box = page.getByRole('textbox', { name: 'Message', exact: true });
      await box.fill('Where is my order ORD-10000001?');
      await box.press('Enter');
      await page
        .locator('[data-testid="assistant-turn"]', { hasText: 'Blue enamel kettle' })
        .waitFor();
      await page.getByRole('button', { name: '+ New conversation' }).click();
      expect(violations).toEqual([]);
    } finally {
      await server.close();
    }
  }, 60_000);
});
