/** In Chromium, over two datasets: theme labels in the page's language, one facet per concept kind with true counts, "Updated" from dct:modified, and quality charts with one scale per unit and no clipped text. */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type * as RDF from '@rdfjs/types';
import type { Page } from 'playwright-core';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { collectQuads, DataFactory, ns } from '../../src/rdf/index.ts';
import { catalogGraph, vocabularyGraph } from '../../src/store/index.ts';
import { type UiBrowser, chromiumPath, openUiBrowser } from './support/chromium.ts';
import { type UiSite, startUiSite } from './support/site.ts';

const providersMapping = fileURLToPath(new URL('./fixtures/calidad/prestadores.yml', import.meta.url));
const euThemes = 'http://publications.europa.eu/resource/authority/data-theme/';

let site: UiSite;
let browser: UiBrowser;
let page: Page;

/** The objects of `subject predicate ?o` in `graph`. */
async function objects(subject: string, predicate: RDF.NamedNode, graph: RDF.NamedNode): Promise<RDF.Term[]> {
  return (await collectQuads(site.store, [DataFactory.namedNode(subject), predicate, null, graph])).map((quad) => quad.object);
}

/** The vocabulary graph's skos:prefLabel of `iri` in `language`. */
async function vocabularyLabel(iri: string, language: string): Promise<string | undefined> {
  const labels = await objects(iri, ns.skos('prefLabel'), vocabularyGraph(site.baseIRI));
  return labels.find((label) => label.termType === 'Literal' && label.language === language)?.value;
}

interface FacetLink {
  readonly facet: string;
  readonly key: string;
  readonly label: string;
  readonly count: number;
}

/**
 * Every facet link on the current page: which facet, the filtered IRI or text, its label and its
 * count. (Page scripts are strings: the test project's TypeScript has no DOM types.)
 */
function facetLinks(): Promise<FacetLink[]> {
  return page.evaluate<FacetLink[]>(`[...document.querySelectorAll('.facets section li')].map((item) => {
    const link = item.querySelector('a');
    const [facet = '', key = ''] = [...new URL(link.href, document.baseURI).searchParams.entries()][0] ?? [];
    return { facet, key, label: link.textContent, count: Number(item.querySelector('.count').textContent.replace(/\\D/g, '')) };
  })`);
}

if (!existsSync(chromiumPath)) {
  console.log(`test/ui/catalog-quality.test.ts skipped: ${chromiumPath} is missing (apt-get install -y chromium)`);
} else {
  test.before(async () => {
    site = await startUiSite({ mappings: [providersMapping] });
    browser = await openUiBrowser(site.url);
    page = browser.page;
  });

  test.after(async () => {
    await browser?.close();
    await site?.close();
  });

  test('theme and category labels follow the page language (Spanish page: Spanish labels; English page: English)', async () => {
    for (const language of ['es', 'en'] as const) {
      await page.goto(`${site.url}/?lang=${language}`);
      const links = (await facetLinks()).filter((link) => link.facet === 'theme' || link.facet === 'category');
      assert.ok(links.length >= 4, `theme and category facets on the ${language} page`);
      for (const link of links) {
        const expected = await vocabularyLabel(link.key, language);
        const other = await vocabularyLabel(link.key, language === 'es' ? 'en' : 'es');
        assert.ok(expected, `${link.key} has a ${language} label in the vocabulary`);
        assert.is(link.label, expected, `${language} page, ${link.key}`);
        // Only labels that differ between the languages can tell a swap apart.
        if (other !== expected) assert.is.not(link.label, other);
      }
    }
    await page.goto(`${site.url}/?lang=es`);
  });

  test('one facet per concept kind: EU themes under "Temas", portal categories under their own heading, each once with its true count', async () => {
    await page.goto(`${site.url}/`);
    const links = await facetLinks();
    const themes = links.filter((link) => link.facet === 'theme');
    const categories = links.filter((link) => link.facet === 'category');
    assert.ok(themes.length > 0 && categories.length > 0);
    for (const link of themes) assert.ok(link.key.startsWith(euThemes), `theme facet holds only EU data themes: ${link.key}`);
    for (const link of categories) assert.ok(link.key.startsWith(`${site.baseIRI}kos/tema/`), `category facet holds only portal categories: ${link.key}`);
    const keys = [...themes, ...categories].map((link) => link.key);
    assert.is(new Set(keys).size, keys.length, 'no concept is listed twice');
    const headings = await page.locator('.facets h3').allTextContents();
    assert.is(new Set(headings).size, headings.length, 'no facet heading twice');
    // The count of a value is the number of datasets the catalog graph gives that theme.
    const datasets = site.store.listDatasets().map((info) => `${site.baseIRI}dataset/${info.id}`);
    for (const link of [...themes, ...categories]) {
      let expected = 0;
      for (const dataset of datasets) {
        if ((await objects(dataset, ns.dcat('theme'), catalogGraph(site.baseIRI))).some((theme) => theme.value === link.key)) expected++;
      }
      assert.is(link.count, expected, link.key);
    }
    assert.ok(
      [...themes, ...categories].some((link) => link.count === 2),
      'the fixture shares a theme with the sample, so one count is 2',
    );
    // Filtering by a category shows exactly that many datasets.
    const shared = categories.find((link) => link.count === 2);
    await page.goto(`${site.url}/?category=${encodeURIComponent(shared?.key ?? '')}`);
    assert.is(await page.locator('.datasets > li').count(), 2);
    assert.is(await page.locator('.facets [aria-current]').textContent(), shared?.label ?? '');
    await page.goto(`${site.url}/`);
    await page.locator('.catalog').screenshot({ path: '/tmp/ui-facets.png' });
  });

  test('"Actualizado" shows dct:modified from the dataset metadata; the import date is labelled as such', async () => {
    for (const info of site.store.listDatasets()) {
      const [modified] = await objects(`${site.baseIRI}dataset/${info.id}`, ns.dct('modified'), catalogGraph(site.baseIRI));
      assert.ok(modified, `${info.id} states dct:modified`);
      await page.goto(`${site.url}/dataset/${info.id}`);
      const updated = await page.locator('tr', { has: page.locator('th', { hasText: /^Actualizado$/ }) }).locator('time').getAttribute('datetime');
      assert.is(updated, modified.value, info.id);
      const imported = await page.locator('tr', { has: page.locator('th', { hasText: /^Importado$/ }) }).locator('time').getAttribute('datetime');
      assert.is(imported, info.modified.toISOString(), `${info.id}: the import date in its own row`);
      assert.is.not(imported?.slice(0, 10), modified.value.slice(0, 10), 'the two dates differ, so the test tells them apart');
      await page.goto(`${site.url}/`);
      const card = page.locator('.datasets > li', { has: page.locator(`a[href$="/dataset/${info.id}"]`) });
      assert.match((await card.locator('.meta').textContent()) ?? '', new RegExp(`Actualizado ${modified.value.slice(0, 10)}`));
    }
  });

  interface PanelShape {
    readonly unit: string;
    readonly title: string;
    readonly description: string;
    readonly lastTick: string;
    /** Bar width over the scale's width, and the percentage the value label states (percent panels). */
    readonly bars: ReadonlyArray<{ readonly fraction: number; readonly stated: number }>;
    /** Text boxes that leave the viewBox: clipped text. */
    readonly outside: string[];
    /** Captions wider than their box. */
    readonly cutCaptions: string[];
  }

  const panelShapes = () =>
    page.evaluate<PanelShape[]>(`[...document.querySelectorAll('.quality-panel')].map((figure) => {
      const svg = figure.querySelector('svg');
      const box = svg.viewBox.baseVal;
      const scaleWidth = Math.max(...[...svg.querySelectorAll('.axis line')].map((line) => Number(line.getAttribute('x1'))));
      const outside = [...svg.querySelectorAll('text')].filter((text) => {
        const b = text.getBBox();
        return b.x < -0.5 || b.y < -0.5 || b.x + b.width > box.width + 0.5 || b.y + b.height > box.height + 0.5;
      }).map((text) => text.textContent);
      const caption = figure.querySelector('figcaption');
      return {
        unit: figure.getAttribute('data-unit'),
        title: svg.querySelector('title')?.textContent ?? '',
        description: svg.querySelector('desc')?.textContent ?? '',
        lastTick: [...svg.querySelectorAll('.axis text')].pop()?.textContent ?? '',
        bars: [...svg.querySelectorAll('.bar-row')].map((row) => ({
          fraction: Number(row.querySelector('rect').getAttribute('width')) / scaleWidth,
          stated: Number.parseFloat(row.querySelector('.bar-value').textContent.replace(',', '.')),
        })),
        outside,
        cutCaptions: caption.scrollWidth > caption.clientWidth ? [caption.textContent] : [],
      };
    })`);

  test('the quality chart: one panel per unit with its own scale, percentages on 0–100 %, no label clipped (desktop and phone)', async () => {
    await page.goto(`${site.url}/dataset/prestadores-muestra`);
    for (const width of [1280, 390]) {
      await page.setViewportSize({ width, height: 900 });
      const panels = await panelShapes();
      const units = panels.map((panel) => panel.unit);
      assert.ok(units.includes('percent') && units.includes('rows') && units.includes('cells'), units.join(' '));
      assert.is(new Set(units).size, units.length, 'no unit drawn in two panels');
      for (const panel of panels) {
        assert.ok(panel.title !== '' && panel.description !== '', `${panel.unit}: SVG <title> and <desc>`);
        assert.equal(panel.outside, [], `${panel.unit} at ${width}px: text outside the chart`);
        assert.equal(panel.cutCaptions, [], `${panel.unit} at ${width}px: caption cut`);
      }
      const percent = panels.find((panel) => panel.unit === 'percent');
      assert.match(percent?.lastTick ?? '', /^100\s?%$/);
      for (const bar of percent?.bars ?? []) assert.ok(Math.abs(bar.fraction * 100 - bar.stated) < 0.5, `bar at ${bar.fraction} of the scale states ${bar.stated} %`);
      assert.ok((percent?.bars ?? []).some((bar) => bar.stated > 0), 'the fixture has empty cells');
      // The days since the update are no bar: they have their own unit, stated in words.
      assert.not.match(panels.map((panel) => panel.description).join(' '), /días desde/);
      assert.match((await page.locator('.quality-facts').textContent()) ?? '', /días desde la última actualización\s*\d+ días/);
    }
    const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');
    assert.ok(overflow <= 0, `the phone page overflows by ${overflow}px`);
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.locator('section[aria-labelledby="quality"]').screenshot({ path: '/tmp/ui-quality-chart.png' });
  });

  test('no request left our server and no script error happened', () => {
    assert.equal(browser.external, []);
    assert.equal(browser.problems, []);
  });
}

test.run();
