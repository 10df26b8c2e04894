/** In headless Chromium: /uso and /usage, the dataset page's use chart and places map, the resource page's location map, in Spanish and English; visible, named for assistive technology, and no request leaving 127.0.0.1. Screenshots go to /tmp/screens. */
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { type Server, createServer } from 'node:http';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { pino } from 'pino';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createConfiguredEngine } from '../../src/cli/open-store.ts';
import { loadConfig } from '../../src/config/index.ts';
import { createApp } from '../../src/http/app.ts';
import { type VinculoStore, openStore } from '../../src/store/index.ts';
import { type UiBrowser, chromiumPath, openUiBrowser } from './support/chromium.ts';
import { writeUsageFixture } from './usage-fixture.ts';

const screens = '/tmp/screens';
const repository = fileURLToPath(new URL('../../', import.meta.url));

let server: Server;
let store: VinculoStore;
let url: string;
let browser: UiBrowser;
let page: Page;

async function shoot(name: string, target: Page | ReturnType<Page['locator']> = page): Promise<void> {
  await target.screenshot({ path: `${screens}/${name}.png`, ...('goto' in target ? { fullPage: true } : {}) });
}

/** The element's drawn size: zero when hidden or collapsed. */
async function drawnArea(selector: string): Promise<number> {
  const box = await page.locator(selector).first().boundingBox();
  return box ? box.width * box.height : 0;
}

if (!existsSync(chromiumPath)) {
  console.log(`test/ui/usage-browser.test.ts skipped: ${chromiumPath} is missing (apt-get install -y chromium)`);
} else {
  test.before(async () => {
    await mkdir(screens, { recursive: true });
    server = createServer();
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    url = `http://127.0.0.1:${port}`;
    const baseIRI = `${url}/`;
    const config = await loadConfig({ cwd: repository, env: { VINCULO_BASE_IRI: baseIRI } });
    store = await openStore({ baseIRI });
    await writeUsageFixture(store);
    server.on('request', createApp({ store, engine: createConfiguredEngine(store, config), config, logger: pino({ level: 'silent' }) }));
    browser = await openUiBrowser(url);
    ({ page } = browser);
  });

  test.after(async () => {
    await browser?.close();
    server?.closeAllConnections();
    server?.close();
    await store?.close();
  });

  test('/uso in Spanish: rankings and the department map, drawn and named', async () => {
    await page.goto(`${url}/uso`);
    assert.is(await page.getAttribute('html', 'lang'), 'es');
    assert.is(await page.locator('main h1').textContent(), 'Uso de los datos');
    const map = page.getByRole('img', { name: 'Usos por departamento de la entidad publicadora' });
    assert.ok(await map.isVisible());
    assert.ok((await drawnArea('svg.map-large')) > 200 * 200, 'the map is drawn at a readable size');
    assert.is(await page.locator('svg.map-large path.department').count(), 33);
    assert.ok((await page.locator('svg.map-large path.department:not(.c0)').count()) >= 2, 'shaded departments');
    assert.ok((await page.locator('#top-datasets + table tbody tr').count()) >= 3);
    const ranked = (await page.locator('#top-datasets + table tbody').textContent()) ?? '';
    for (const title of ['Municipios de Colombia', 'Estaciones de calidad del aire de Cali', 'Contratos de la Gobernación de Antioquia']) assert.ok(ranked.includes(title), title);
    assert.ok(await page.getByRole('link', { name: 'Consultas SPARQL' }).first().isVisible(), 'rank-by link');
    await shoot('usage-es');
    await shoot('usage-map-es', page.locator('#usage-map'));
  });

  test('/usage in English; the header switch and the nav link move between the two', async () => {
    await page.goto(`${url}/usage`);
    assert.is(await page.getAttribute('html', 'lang'), 'en');
    assert.is(await page.locator('main h1').textContent(), 'Use of the data');
    assert.ok(await page.getByRole('img', { name: 'Uses by department of the publishing agency' }).isVisible());
    await shoot('usage-en');
    await page.locator('header a.language').click();
    await page.waitForURL(/\/uso$/);
    assert.is(await page.getAttribute('html', 'lang'), 'es');
    await page.goto(`${url}/`);
    await page.getByRole('navigation', { name: 'Navegación principal' }).getByRole('link', { name: 'Uso' }).click();
    await page.waitForURL(/\/uso$/);
  });

  test('the dataset page in Spanish: the 90-day chart, the places map and the reuses', async () => {
    await page.goto(`${url}/dataset/municipios`);
    assert.is(await page.getAttribute('html', 'lang'), 'es');
    const chart = page.getByRole('img', { name: 'Uso diario por tipo, últimos 90 días' });
    assert.ok(await chart.isVisible());
    assert.ok((await drawnArea('svg.usage-chart')) > 300 * 100);
    assert.ok((await page.locator('svg.usage-chart rect').count()) > 90, 'daily bars');
    const places = page.getByRole('img', { name: 'Lugares que cubre el conjunto de datos' });
    assert.ok(await places.isVisible());
    assert.is(await page.locator('#places-map circle.place').count(), 13);
    assert.is(await page.locator('#reuses + ul li a').count(), 2);
    await page.locator('.usage-table summary').click();
    assert.ok(await page.locator('.usage-table table').isVisible(), 'the table alternative opens');
    await shoot('dataset-usage-es');
    await shoot('dataset-chart-es', page.locator('.usage-figure'));
    await shoot('dataset-places-es', page.locator('#places-map'));
  });

  test('the dataset page in English (?lang=en), and a resource page with its location', async () => {
    await page.goto(`${url}/dataset/estaciones?lang=en`);
    assert.is(await page.getAttribute('html', 'lang'), 'en');
    assert.ok(await page.getByRole('img', { name: 'Daily use by kind, last 90 days' }).isVisible());
    assert.is(await page.locator('#places-map circle.place').count(), 3, 'the WKT points');
    await shoot('dataset-usage-en');
    await shoot('dataset-chart-en', page.locator('.usage-figure'));
    await page.goto(`${url}/doc/municipio/05001`);
    assert.is(await page.getAttribute('html', 'lang'), 'en', 'the choice sticks');
    assert.ok(await page.getByRole('img', { name: 'Location' }).isVisible());
    assert.is(await page.locator('#location-map path.highlight').getAttribute('data-code'), '05');
    await shoot('resource-location-en', page.locator('#location-map'));
    await page.goto(`${url}/doc/municipio/76001?lang=es`);
    assert.ok(await page.getByRole('img', { name: 'Ubicación' }).isVisible());
    assert.is(await page.locator('#location-map path.highlight').getAttribute('data-code'), '76');
    await shoot('resource-location-es');
  });

  test('on a phone the usage page and the dataset page fit the screen', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    for (const path of ['/uso', '/dataset/municipios']) {
      await page.goto(`${url}${path}`);
      const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');
      assert.ok(overflow <= 0, `${path} overflows by ${overflow}px`);
    }
    await shoot('usage-phone');
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  test('no request left 127.0.0.1 and no script or CSP error happened', () => {
    assert.equal(browser.external, []);
    assert.equal(browser.problems, []);
  });
}

test.run();
