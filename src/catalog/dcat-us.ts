/** DCAT-US 1.1 `data.json` (Project Open Data) from the same catalog quads, for harvesters that read that format. */
import type * as RDF from '@rdfjs/types';
import { ns } from '../rdf/index.js';

/** EU frequency codes → the ISO 8601 repeating durations DCAT-US uses. */
const periodicity: Record<string, string> = {
  DAILY: 'R/P1D',
  WEEKLY: 'R/P1W',
  BIWEEKLY: 'R/P2W',
  MONTHLY: 'R/P1M',
  QUARTERLY: 'R/P3M',
  ANNUAL_2: 'R/P6M',
  ANNUAL: 'R/P1Y',
  BIENNIAL: 'R/P2Y',
  CONT: 'R/PT1S',
  IRREG: 'irregular',
};

export interface DcatUsCatalog {
  readonly '@context': string;
  readonly '@type': 'dcat:Catalog';
  readonly conformsTo: string;
  readonly describedBy: string;
  readonly dataset: ReadonlyArray<Record<string, unknown>>;
}

/** The `data.json` document of the datasets described in `quads` (Spanish text preferred). */
export function dcatUsCatalog(quads: Iterable<RDF.Quad>): DcatUsCatalog {
  const bySubject = new Map<string, RDF.Quad[]>();
  for (const item of quads) bySubject.set(item.subject.value, [...(bySubject.get(item.subject.value) ?? []), item]);
  const values = (subject: string, predicate: RDF.NamedNode) =>
    (bySubject.get(subject) ?? []).filter((item) => item.predicate.equals(predicate)).map((item) => item.object);
  const text = (subject: string, predicate: RDF.NamedNode): string | undefined => {
    const found = values(subject, predicate).filter((term): term is RDF.Literal => term.termType === 'Literal');
    return (found.find((term) => term.language === 'es') ?? found[0])?.value;
  };
  const datasets = [...bySubject.keys()].filter((subject) => values(subject, ns.rdf('type')).some((type) => type.equals(ns.dcat('Dataset'))));
  return {
    '@context': 'https://project-open-data.cio.gov/v1.1/schema/catalog.jsonld',
    '@type': 'dcat:Catalog',
    conformsTo: 'https://project-open-data.cio.gov/v1.1/schema',
    describedBy: 'https://project-open-data.cio.gov/v1.1/schema/catalog.json',
    dataset: datasets.sort().map((iri) => {
      const publisher = values(iri, ns.dct('publisher'))[0]?.value;
      const contact = values(iri, ns.dcat('contactPoint'))[0]?.value;
      const email = contact === undefined ? undefined : values(contact, ns.vcard('hasEmail'))[0]?.value;
      const frequency = values(iri, ns.dct('accrualPeriodicity'))[0]?.value.split('/').pop();
      const period = values(iri, ns.dct('temporal'))[0]?.value;
      const start = period === undefined ? undefined : text(period, ns.dcat('startDate'));
      const end = period === undefined ? undefined : text(period, ns.dcat('endDate'));
      const distributions = values(iri, ns.dcat('distribution')).map((distribution) => {
        const download = values(distribution.value, ns.dcat('downloadURL'))[0]?.value;
        const access = values(distribution.value, ns.dcat('accessURL'))[0]?.value;
        const mediaType = values(distribution.value, ns.dcat('mediaType'))[0]?.value.replace('https://www.iana.org/assignments/media-types/', '');
        return {
          '@type': 'dcat:Distribution',
          title: text(distribution.value, ns.dct('title')),
          ...(download ? { downloadURL: download, mediaType } : { accessURL: access }),
        };
      });
      const entry: Record<string, unknown> = {
        '@type': 'dcat:Dataset',
        title: text(iri, ns.dct('title')),
        description: text(iri, ns.dct('description')),
        keyword: values(iri, ns.dcat('keyword')).map((term) => term.value),
        modified: text(iri, ns.dct('modified')),
        issued: text(iri, ns.dct('issued')),
        publisher: { '@type': 'org:Organization', name: publisher === undefined ? undefined : text(publisher, ns.foaf('name')) },
        contactPoint: { '@type': 'vcard:Contact', fn: contact === undefined ? undefined : text(contact, ns.vcard('fn')), hasEmail: email },
        identifier: iri,
        accessLevel: 'public',
        license: values(values(iri, ns.dcat('distribution'))[0]?.value ?? '', ns.dct('license'))[0]?.value,
        accrualPeriodicity: frequency === undefined ? undefined : periodicity[frequency],
        temporal: start && end ? `${start}/${end}` : undefined,
        theme: values(iri, ns.dcat('theme'))
          .map((theme) => text(theme.value, ns.skos('prefLabel')))
          .filter((label): label is string => label !== undefined),
        language: values(iri, ns.dct('language')).map((term) => (term.value.endsWith('/SPA') ? 'es' : term.value.endsWith('/ENG') ? 'en' : term.value)),
        landingPage: iri,
        distribution: distributions,
      };
      // data.json leaves out what is unknown rather than writing nulls.
      return Object.fromEntries(Object.entries(entry).filter(([, value]) => value !== undefined));
    }),
  };
}
