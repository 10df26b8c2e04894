/** Where RDF says things are: WGS84 `geo:lat`/`geo:long` (or schema.org's) and GeoSPARQL `POINT` literals, and the DIVIPOLA concepts a dataset links to. */
import type * as RDF from '@rdfjs/types';
import { collectQuads, divipolaIri, prefixes } from '../../rdf/index.js';
import type { PlacedPoint } from './map-svg.js';

const latitudes = new Set([`${prefixes.geo}lat`, `${prefixes.schema}latitude`]);
const longitudes = new Set([`${prefixes.geo}long`, `${prefixes.schema}longitude`]);
const wktLiteral = 'http://www.opengis.net/ont/geosparql#wktLiteral';
const asWkt = 'http://www.opengis.net/ont/geosparql#asWKT';

/**
 * The longitude and latitude of a GeoSPARQL `POINT`, in degrees. The default reference system
 * (CRS84, GeoSPARQL 1.1 §8.5.1) and an explicit CRS84 give longitude first; EPSG:4326 gives
 * latitude first; any other system (a projected one, in metres) gives undefined.
 */
export function parseWktPoint(text: string): { readonly latitude: number; readonly longitude: number } | undefined {
  const match = /^\s*(?:<([^>]*)>\s*)?POINT\s*(?:Z|M|ZM)?\s*\(\s*([-+\d.eE]+)\s+([-+\d.eE]+)/i.exec(text);
  if (!match) return undefined;
  const [, crs = '', a = '', b = ''] = match;
  const first = Number(a);
  const second = Number(b);
  if (!Number.isFinite(first) || !Number.isFinite(second)) return undefined;
  if (crs === '' || /\/OGC\/1\.3\/CRS84h?$/i.test(crs)) return { longitude: first, latitude: second };
  if (/\/EPSG\/0\/4326$/i.test(crs)) return { latitude: first, longitude: second };
  return undefined;
}

function degrees(term: RDF.Term | undefined): number | undefined {
  if (term?.termType !== 'Literal') return undefined;
  const value = Number(term.value.trim());
  return term.value.trim() !== '' && Number.isFinite(value) ? value : undefined;
}

/**
 * The point `subject` is at, from `quads` (a resource's description): its own latitude and
 * longitude, else a WKT `POINT` on it or on a node it links to (`geo:hasGeometry`).
 */
export function pointOf(quads: readonly RDF.Quad[], subject: RDF.Term): PlacedPoint | undefined {
  const own = quads.filter((quad) => quad.subject.equals(subject));
  const latitude = degrees(own.find((quad) => latitudes.has(quad.predicate.value))?.object);
  const longitude = degrees(own.find((quad) => longitudes.has(quad.predicate.value))?.object);
  if (latitude !== undefined && longitude !== undefined) return { latitude, longitude };
  const linked = new Set(own.map((quad) => quad.object).filter((object) => object.termType !== 'Literal').map((object) => `${object.termType}:${object.value}`));
  for (const quad of quads) {
    const near = quad.subject.equals(subject) || linked.has(`${quad.subject.termType}:${quad.subject.value}`);
    if (near && quad.object.termType === 'Literal' && (quad.object.datatype.value === wktLiteral || quad.predicate.value === asWkt)) {
      const point = parseWktPoint(quad.object.value);
      if (point) return point;
    }
  }
  return undefined;
}

export interface DatasetPlaces {
  readonly points: readonly PlacedPoint[];
  /** How many DIVIPOLA concepts of each department (by code) the dataset names. */
  readonly departments: ReadonlyMap<string, number>;
  /** Whether only the first part of the graph was read. */
  readonly sampled: boolean;
}

export interface PlacesOptions {
  readonly baseIRI: string;
  /** Quads read at most: the map of a graph of millions of triples is drawn from its beginning. */
  readonly scanLimit?: number;
  /** Points kept at most. */
  readonly pointLimit?: number;
}

/**
 * The places a dataset's graph names, in one bounded pass over it: points (latitude/longitude of
 * a subject, WKT points) and the DIVIPOLA concepts (`{base}kos/divipola/{code}`) among its
 * subjects and objects, counted by department.
 * @throws whatever the store raises while matching.
 */
export async function datasetPlaces(store: RDF.Source<RDF.Quad>, graph: RDF.NamedNode, { baseIRI, scanLimit = 20_000, pointLimit = 2_000 }: PlacesOptions): Promise<DatasetPlaces> {
  const quads = await collectQuads(store, [null, null, null, graph], scanLimit + 1);
  const sampled = quads.length > scanLimit;
  const divipola = divipolaIri(baseIRI, '').value;
  const codes = new Set<string>();
  const partial = new Map<string, { latitude?: number; longitude?: number }>();
  const points: PlacedPoint[] = [];
  for (const quad of quads.slice(0, scanLimit)) {
    for (const term of [quad.subject, quad.object]) {
      if (term.termType === 'NamedNode' && term.value.startsWith(divipola) && /^\d{2}(\d{3})?$/.test(term.value.slice(divipola.length))) codes.add(term.value.slice(divipola.length));
    }
    if (points.length >= pointLimit) continue;
    const predicate = quad.predicate.value;
    if (quad.object.termType === 'Literal' && (quad.object.datatype.value === wktLiteral || predicate === asWkt)) {
      const point = parseWktPoint(quad.object.value);
      if (point) points.push(point);
      continue;
    }
    const isLatitude = latitudes.has(predicate);
    if (!isLatitude && !longitudes.has(predicate)) continue;
    const value = degrees(quad.object);
    if (value === undefined) continue;
    const key = `${quad.subject.termType}:${quad.subject.value}`;
    const seen = { ...partial.get(key), ...(isLatitude ? { latitude: value } : { longitude: value }) };
    if (seen.latitude !== undefined && seen.longitude !== undefined) {
      points.push({ latitude: seen.latitude, longitude: seen.longitude });
      partial.delete(key);
    } else partial.set(key, seen);
  }
  const departments = new Map<string, number>();
  for (const code of codes) departments.set(code.slice(0, 2), (departments.get(code.slice(0, 2)) ?? 0) + 1);
  return { points, departments, sampled };
}
