/**
 * A portal's datasets from its DCAT-US catalog (`/data.json`, as Socrata publishes it: `dataset[]`
 * with `identifier`, `landingPage`, `title`, `publisher.name`, `theme`, `keyword`), and the
 * selection `vinculo harvest PORTAL --catalog --agency … --category …` harvests.
 */
import { slug } from '../catalog/index.js';
import { BadRequest } from '../errors/index.js';
import { datasetLocation, HarvestFailed, type SocrataClient } from './socrata-client.js';

export interface ListedDataset {
  /** The dataset URL the harvest takes (the landing page, else the identifier). */
  readonly url: string;
  readonly socrataId: string;
  readonly title: string;
  /** `publisher.name`: the agency. */
  readonly agency: string | undefined;
  /** `theme`: the portal's categories. */
  readonly categories: readonly string[];
}

export interface CatalogListing {
  readonly datasets: readonly ListedDataset[];
  /** Entries without a Socrata dataset id in their landing page or identifier (external links, federated catalogs). */
  readonly skipped: number;
}

export interface CatalogFilter {
  /** Publisher names, or parts of them (`mintic`), compared without case or accents; any one matches. */
  readonly agencies?: readonly string[];
  /** Portal categories (`theme`), compared whole without case or accents; any one matches. */
  readonly categories?: readonly string[];
}

const texts = (value: unknown): string[] => (Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : typeof value === 'string' ? [value] : []);

/** The dataset an entry describes, if it names a Socrata dataset. */
function listed(entry: unknown): ListedDataset | undefined {
  if (typeof entry !== 'object' || entry === null) return undefined;
  const record = entry as Record<string, unknown>;
  const publisher = record.publisher as Record<string, unknown> | undefined;
  for (const url of [record.landingPage, record.identifier]) {
    if (typeof url !== 'string') continue;
    try {
      const location = datasetLocation(url);
      return {
        url,
        socrataId: location.id,
        title: typeof record.title === 'string' ? record.title : location.id,
        agency: typeof publisher?.name === 'string' ? publisher.name : undefined,
        categories: texts(record.theme),
      };
    } catch {
      // Not a Socrata dataset URL: try the other field.
    }
  }
  return undefined;
}

/**
 * The datasets of the portal at `portal` (its origin; any path is ignored), in the catalog's order, each once.
 * @throws BadRequest for a portal that is not an http(s) URL; Forbidden for a host outside the
 *   allowlist; HarvestFailed when `/data.json` cannot be read or is no DCAT-US catalog.
 */
export async function listPortalDatasets(portal: string, client: SocrataClient): Promise<CatalogListing> {
  let url: URL;
  try {
    url = new URL('/data.json', portal);
  } catch {
    throw new BadRequest(`${portal}: not a portal URL (such as https://www.datos.gov.co)`);
  }
  const catalog = await client.getJson(url);
  const entries = (catalog as { dataset?: unknown } | null)?.dataset;
  if (!Array.isArray(entries)) throw new HarvestFailed(`${url.href}: not a DCAT-US catalog (no "dataset" list)`);
  const seen = new Set<string>();
  const datasets: ListedDataset[] = [];
  for (const entry of entries) {
    const dataset = listed(entry);
    if (dataset === undefined || seen.has(dataset.socrataId)) continue;
    seen.add(dataset.socrataId);
    datasets.push(dataset);
  }
  return { datasets, skipped: entries.length - datasets.length };
}

/** The datasets that pass every given filter. */
export function selectDatasets(datasets: readonly ListedDataset[], filter: CatalogFilter): ListedDataset[] {
  const agencies = (filter.agencies ?? []).map(slug);
  const categories = new Set((filter.categories ?? []).map(slug));
  return datasets.filter((dataset) => {
    const agency = slug(dataset.agency ?? '');
    if (agencies.length > 0 && !agencies.some((wanted) => agency.includes(wanted))) return false;
    return categories.size === 0 || dataset.categories.some((category) => categories.has(slug(category)));
  });
}
