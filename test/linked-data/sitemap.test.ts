/** The sitemap lists only URLs that answer 200 — things, code-list concepts and IRIs with awkward characters — and becomes a sitemap index beyond its size limit. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { awkwardValues, mintAwkwardResources } from './support/awkward-iris.ts';
import { type TestSite, startSite } from './support/server.ts';

function locs(xml: string): string[] {
  return [...xml.matchAll(/<loc>([^<]*)<\/loc>/g)].map((match) => (match[1] ?? '').replaceAll('&amp;', '&').replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&quot;', '"').replaceAll('&apos;', "'"));
}

async function withSite(options: { urlsPerSitemap?: number }, body: (site: TestSite) => Promise<void>): Promise<void> {
  const site = await startSite({ datasets: ['municipios', 'departamentos', 'categorias', 'contratos'], ...options });
  try {
    const minted = await mintAwkwardResources(site.baseIRI, awkwardValues(7, 30));
    await site.store.putDataset('eventos', (async function* () {
      yield* minted;
    })());
    await body(site);
  } finally {
    await site.close();
  }
}

/** Every URL of the sitemap at `/sitemap.xml`, through the index when it is one. */
async function sitemapUrls(site: TestSite): Promise<{ urls: string[]; files: number }> {
  const top = await (await site.fetch('/sitemap.xml')).text();
  if (!top.includes('<sitemapindex')) return { urls: locs(top), files: 1 };
  const urls: string[] = [];
  const files = locs(top);
  for (const file of files) {
    const response = await fetch(file);
    assert.is(response.status, 200, file);
    urls.push(...locs(await response.text()));
  }
  return { urls, files: files.length };
}

/** Fetches every URL but the home page, which the UI router serves and the linked-data test site does not mount. */
async function assertAllAnswer200(site: TestSite, urls: readonly string[]): Promise<void> {
  assert.ok(urls.includes(site.baseIRI), 'the home page is listed');
  const failures: string[] = [];
  for (const url of urls.filter((candidate) => candidate !== site.baseIRI)) {
    const response = await fetch(url, { headers: { Accept: 'text/turtle' } });
    if (response.status !== 200) failures.push(`${response.status} ${url}`);
    await response.arrayBuffer();
  }
  assert.is(failures.length, 0, failures.slice(0, 5).join('\n'));
}

test('every URL in the sitemap answers 200, things with awkward IRIs and code-list concepts among them', async () => {
  await withSite({}, async (site) => {
    const { urls, files } = await sitemapUrls(site);
    assert.is(files, 1, 'a small site has one sitemap file');
    await assertAllAnswer200(site, urls);
    const subjects = new Set<string>();
    for (const quad of site.store.match(null, null, null, null) as unknown as Iterable<{ subject: { termType: string; value: string } }>) {
      if (quad.subject.termType === 'NamedNode' && /\/(id|kos)\//.test(quad.subject.value)) subjects.add(quad.subject.value);
    }
    const documents = urls.filter((url) => url.includes('/doc/'));
    assert.is(documents.length, subjects.size, 'one document per thing and concept');
    assert.ok(documents.some((url) => url.includes('/doc/kos/')), 'concepts are listed');
    assert.ok(documents.some((url) => url.includes('%2F')), 'awkward IRIs are listed');
  });
});

test('beyond the per-file limit, /sitemap.xml is a sitemap index whose files list the same URLs, each answering 200', async () => {
  let single: string[] = [];
  await withSite({}, async (site) => {
    single = (await sitemapUrls(site)).urls.map((url) => url.slice(site.baseIRI.length));
  });
  await withSite({ urlsPerSitemap: 25 }, async (site) => {
    const top = await (await site.fetch('/sitemap.xml')).text();
    assert.match(top, /<sitemapindex xmlns="http:\/\/www.sitemaps.org\/schemas\/sitemap\/0.9">/);
    const { urls, files } = await sitemapUrls(site);
    assert.is(files, Math.ceil(urls.length / 25));
    assert.ok(files > 1);
    assert.equal(urls.map((url) => url.slice(site.baseIRI.length)), single);
    await assertAllAnswer200(site, urls);
    assert.is((await site.fetch(`/sitemaps/${files + 1}.xml`)).status, 404);
  });
});

test.run();
