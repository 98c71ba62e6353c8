import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { build } from 'vite';

/** Debian's Chromium (never a downloaded browser); `KEEL_CHROMIUM_PATH` points elsewhere. */
const chromiumPath = process.env.KEEL_CHROMIUM_PATH ?? '/usr/bin/chromium';
/** The browser tests skip, saying so, on a machine without it. */
export const hasChromium = existsSync(chromiumPath);
/** The web package's folder. */
export const webRoot = fileURLToPath(new URL('../..', import.meta.url));

/** Builds the UI from these sources into `<dataDir>/web` and returns that folder. */
export async function buildUi(dataDir: string): Promise<string> {
  const outDir = join(dataDir, 'web');
  await build({
    configFile: join(webRoot, 'vite.config.ts'),
    logLevel: 'warn',
    build: { outDir, emptyOutDir: true },
  });
  return outDir;
}

/** Headless Chromium without background traffic or first-run work. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}
