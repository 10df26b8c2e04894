/** Headless Chromium for the UI tests: a fresh profile, the closed network's flags, and a record of every request that leaves the site and every page error. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, type Page, chromium } from 'playwright-core';

export const chromiumPath = '/usr/bin/chromium';

// The network is closed: without these Chromium waits on connections it will never get.
const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface UiBrowser {
  readonly context: BrowserContext;
  readonly page: Page;
  /** URLs the pages asked for outside `siteUrl` (refused). */
  readonly external: string[];
  /** Console errors, page errors and responses of 400 or more. */
  readonly problems: string[];
  close(): Promise<void>;
}

/** Opens Chromium in Spanish (as a Colombian reader's browser would be) on a 1280×900 window; only `siteUrl` is reachable. */
export async function openUiBrowser(siteUrl: string): Promise<UiBrowser> {
  const profile = await mkdtemp(join(tmpdir(), 'vinculo-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath,
    args: chromiumArgs,
    headless: true,
    viewport: { width: 1280, height: 900 },
    locale: 'es-CO',
    extraHTTPHeaders: { 'Accept-Language': 'es-CO,es;q=0.9' },
  });
  const external: string[] = [];
  const problems: string[] = [];
  // Anything not from our own server is refused and remembered: the UI must make no such request.
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith(siteUrl) || url.startsWith('data:')) return route.continue();
    external.push(url);
    return route.abort();
  });
  const page = context.pages()[0] ?? (await context.newPage());
  page.setDefaultTimeout(20_000);
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`${page.url()}: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`${page.url()}: ${error.message}`));
  page.on('response', (response) => {
    if (response.status() >= 400) problems.push(`${response.status()} for ${response.url()}`);
  });
  return {
    context,
    page,
    external,
    problems,
    async close() {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}
