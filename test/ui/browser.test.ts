/** End to end in headless Chromium: home → dataset → example query (runs on arrival) in YASGUI → resource; search without accents; language switch; phone width; no external requests. */
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BrowserContext, Page } from 'playwright-core';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { type UiBrowser, chromiumPath, openUiBrowser } from './support/chromium.ts';
import { type UiSite, startUiSite } from './support/site.ts';

const screenshots = fileURLToPath(new URL('./screenshots/', import.meta.url));

let site: UiSite;
let browser: UiBrowser;
let context: BrowserContext;
let page: Page;

async function shoot(name: string): Promise<void> {
  await page.screenshot({ path: join(screenshots, `${name}.png`), fullPage: true });
}

if (!existsSync(chromiumPath)) {
  console.log(`test/ui/browser.test.ts skipped: ${chromiumPath} is missing (apt-get install -y chromium)`);
} else {
  test.before(async () => {
    await mkdir(screenshots, { recursive: true });
    site = await startUiSite();
    browser = await openUiBrowser(site.url);
    ({ context, page } = browser);
  });

  test.after(async () => {
    await browser?.close();
    await site?.close();
  });

  test('home lists the dataset with facet counts; a facet filters', async () => {
    await page.goto(`${site.url}/`);
    assert.is(await page.getAttribute('html', 'lang'), 'es');
    assert.is(await page.locator('main h1').textContent(), 'Datos abiertos enlazados');
    assert.ok((await page.locator('.datasets > li').count()) >= 1);
    assert.match((await page.locator('#datasets-heading').textContent()) ?? '', /conjunto/);
    await shoot('home');
    const facet = page.locator('.facets a').first();
    const facetText = await facet.textContent();
    await facet.click();
    await page.waitForURL(/\?(theme|publisher|keyword)=/);
    assert.is(await page.locator('.facets [aria-current]').first().textContent(), facetText);
  });

  test('dataset page, then its example query runs in YASGUI and shows rows', async () => {
    await page.goto(`${site.url}/`);
    await page.locator('.datasets h3 a', { hasText: 'Municipios' }).click();
    await page.waitForURL(/\/dataset\/municipios$/);
    assert.is(await page.locator('main h1').textContent(), 'Municipios de Colombia');
    for (const heading of ['Descargas', 'Consultas de ejemplo', 'Recursos de muestra', 'Procedencia']) {
      assert.ok(await page.locator('main h2', { hasText: heading }).isVisible(), heading);
    }
    await shoot('dataset');
    await page.locator('a.example-query').first().click();
    await page.waitForURL(/\/sparql#/);
    await page.locator('.yasqe .CodeMirror').waitFor();
    const editorText = (await page.locator('.yasqe .CodeMirror').textContent()) ?? '';
    assert.match(editorText, /GRAPH/);
    // A query in the link runs on arrival (YASGUI's populateFromUrl); clicking now would abort it.
    const rows = page.locator('.yasr table tbody tr');
    await rows.first().waitFor();
    assert.ok((await rows.count()) >= 13, `rows: ${await rows.count()}`);
    assert.match((await page.locator('.yasr table').textContent()) ?? '', /Medellín/);
    await shoot('query');
  });

  test('a resource link in the results leads to the resource page', async () => {
    const link = page.locator('.yasr table tbody a[href*="/id/municipio/05001"]').first();
    const href = await link.getAttribute('href');
    assert.ok(href, 'a link to Medellín in the results');
    const target = await link.getAttribute('target');
    const opened = target === '_blank' ? context.waitForEvent('page') : undefined;
    await link.click();
    const resourcePage = opened ? await opened : page;
    await resourcePage.waitForURL(/\/doc\/municipio\/05001$/);
    assert.is(await resourcePage.locator('main h1').textContent(), 'Medellín');
    assert.ok(await resourcePage.locator('nav.breadcrumbs').isVisible());
    await resourcePage.screenshot({ path: join(screenshots, 'resource.png'), fullPage: true });
    if (resourcePage !== page) await resourcePage.close();
  });

  test('search finds Medellín typed without its accent, from the header box', async () => {
    await page.goto(`${site.url}/`);
    await page.getByRole('searchbox', { name: 'Buscar en los datos' }).fill('medellin');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/search\?q=medellin/);
    const hit = page.locator('ol.hits a', { hasText: 'Medellín' });
    assert.is(await hit.count(), 1);
    await shoot('search');
    await hit.click();
    await page.waitForURL(/\/doc\/municipio\/05001$/);
    assert.is(await page.locator('main h1').textContent(), 'Medellín');
  });

  test('the language switch turns the site to English and the choice sticks', async () => {
    await page.goto(`${site.url}/`);
    await page.locator('header a.language').click();
    await page.waitForURL(/lang=en/);
    assert.is(await page.getAttribute('html', 'lang'), 'en');
    assert.is(await page.locator('main h1').textContent(), 'Linked open data');
    await page.goto(`${site.url}/doc/municipio/05001`);
    assert.is(await page.getAttribute('html', 'lang'), 'en');
    await page.goto(`${site.url}/?lang=es`);
    assert.is(await page.getAttribute('html', 'lang'), 'es');
  });

  test('keyboard: the first Tab reaches the skip link, which moves focus to the content', async () => {
    await page.goto(`${site.url}/dataset/municipios`);
    await page.keyboard.press('Tab');
    assert.is(await page.evaluate<string>("document.activeElement ? document.activeElement.className : ''"), 'skip');
    await page.keyboard.press('Enter');
    assert.is(await page.evaluate<string>("document.activeElement ? document.activeElement.id : ''"), 'contenido');
  });

  test('landmarks, one h1, and a label for every field on every page', async () => {
    // Counted in the page; YASGUI's own widgets are left out (their markup is the library's).
    const audit = `(() => {
      const fields = [...document.querySelectorAll('input:not([type=hidden]), select, textarea')].filter((field) => !field.closest('#yasgui'));
      const unlabelled = fields.filter((field) => field.labels.length === 0 && !field.getAttribute('aria-label')).map((field) => field.outerHTML);
      return {
        main: document.querySelectorAll('main').length,
        header: document.querySelectorAll('body > header').length,
        namedNavs: document.querySelectorAll('nav[aria-label]').length,
        search: document.querySelectorAll('[role=search]').length,
        h1: document.querySelectorAll('h1').length,
        lang: document.documentElement.lang,
        unlabelled,
      };
    })()`;
    for (const path of ['/', '/catalog', '/dataset/municipios', '/search?q=cali', '/doc/municipio/05001', '/sparql']) {
      await page.goto(`${site.url}${path}`);
      const found = await page.evaluate<{ main: number; header: number; namedNavs: number; search: number; h1: number; lang: string; unlabelled: string[] }>(audit);
      assert.is(found.main, 1, `${path}: main`);
      assert.is(found.header, 1, `${path}: header`);
      assert.ok(found.namedNavs >= 1, `${path}: named navigation`);
      assert.ok(found.search >= 1, `${path}: search landmark`);
      assert.is(found.h1, 1, `${path}: one h1`);
      assert.is(found.lang, 'es', `${path}: lang`);
      assert.equal(found.unlabelled, [], `${path}: unlabelled fields`);
    }
  });

  test('on a phone the pages fit the screen width', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    for (const [path, name] of [['/', 'home-phone'], ['/dataset/municipios', 'dataset-phone'], ['/doc/municipio/05001', 'resource-phone']] as const) {
      await page.goto(`${site.url}${path}`);
      const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');
      assert.ok(overflow <= 0, `${path} overflows by ${overflow}px`);
      await shoot(name);
    }
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  test('the chart view draws bars for a count query', async () => {
    const query = 'SELECT ?class (COUNT(?s) AS ?total) WHERE { ?s a ?class } GROUP BY ?class ORDER BY DESC(?total)';
    await page.goto(`${site.url}/sparql#query=${encodeURIComponent(query)}`);
    await page.locator('.yasr table tbody tr').first().waitFor();
    await page.locator('.yasr .select_chart').click();
    await page.locator('.yasr-chart svg rect').first().waitFor();
    assert.ok((await page.locator('.yasr-chart svg rect').count()) >= 2);
    await shoot('chart');
  });

  test('the editor completes properties and classes from our vocabulary graph', async () => {
    await page.goto(`${site.url}/sparql`);
    await page.locator('.yasqe .CodeMirror').waitFor();
    const hints = async (text: string): Promise<string[]> => {
      await page.evaluate((query) => {
        const yasqe = (globalThis as unknown as { vinculoYasgui: { getTab(): { getYasqe(): { setValue(v: string): void; setCursor(p: { line: number; ch: number }): void; lineCount(): number; getLine(n: number): string; focus(): void; autocomplete(): void } } } }).vinculoYasgui.getTab().getYasqe();
        yasqe.setValue(query);
        const last = yasqe.lineCount() - 1;
        yasqe.setCursor({ line: last, ch: yasqe.getLine(last).length });
        yasqe.focus();
        yasqe.autocomplete();
      }, text);
      await page.locator('.CodeMirror-hints li').first().waitFor();
      return page.locator('.CodeMirror-hints li').allTextContents();
    };
    const properties = await hints('PREFIX foaf: <http://xmlns.com/foaf/0.1/>\nSELECT * WHERE { ?s foaf:na');
    assert.ok(properties.includes('foaf:name'), properties.join(' '));
    const classes = await hints('PREFIX org: <http://www.w3.org/ns/org#>\nSELECT * WHERE { ?s a org:Org');
    assert.ok(classes.includes('org:Organization'), classes.join(' '));
    await page.keyboard.press('Escape');
  });

  test('an example listed on the query page opens in a new editor tab', async () => {
    await page.goto(`${site.url}/sparql`);
    await page.locator('.yasqe .CodeMirror').waitFor();
    const tabs = await page.locator('.tabsList .tab').count();
    await page.locator('a.example-query', { hasText: 'Top 10' }).first().click();
    await page.waitForFunction(`document.querySelectorAll('.tabsList .tab').length > ${tabs}`);
    await page.locator('.yasqe_queryButton:visible').click();
    const rows = page.locator('.yasr table tbody tr:visible');
    await rows.first().waitFor();
    assert.is(await rows.count(), 10);
    assert.match((await rows.first().textContent()) ?? '', /Bogotá/);
  });

  test('no request left our server and no script error happened', () => {
    assert.equal(browser.external, []);
    assert.equal(browser.problems, []);
  });
}

test.run();
