/** Resources whose IRIs carry reserved, encoded and non-ASCII characters, minted by the real mapping engine from generated values. */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type * as RDF from '@rdfjs/types';
import { executeMapping, loadMapping } from '../../../src/mapping/index.ts';
import { random } from '../../support/random.ts';

/** Pieces of values as government exports have them: dates with `/` and `:`, ranges with `,`, signs, encodings, accents, astral characters. */
const pieces = ['1/01/1996 0:00', '-25,29-', '+', ' ', ',', ':', ';', '=', '&', '@', '%', '%2F', '%20', '%C3%A1', '/', 'á', 'ñ', 'Ñ', '€', '😀', "'", '(', ')', '*', '!', '$', '~', '.', '.ttl', '.nt', '?', 'ABC', '05001', 'x'];

/**
 * Raw values go into IRIs unencoded (rml:UnsafeIRI): a space is refused by the store, a `#` starts
 * the fragment a client never sends, and WHATWG URL parsers read `\` as `/`. Those are left out there.
 */
const unsafeOmits = /[#\\ ]/g;

/** `count` generated values from `seed`, each made of one to five pieces; the issue's own value comes first. */
export function awkwardValues(seed: number, count: number): string[] {
  const next = random(seed);
  const values = ['1/01/1996 0:00-25,29-2'];
  while (values.length < count) {
    let value = '';
    const length = 1 + Math.floor(next() * 5);
    for (let i = 0; i < length; i++) value += pieces[Math.floor(next() * pieces.length)];
    // A dot segment (`/./`, `/../`) is resolved away by every URL parser (RFC 3986 §5.2.4) before a request is sent.
    values.push(value.split('/').map((segment) => (/^\.+$/.test(segment) ? `${segment}x` : segment)).join('/'));
  }
  return values;
}

/**
 * An RML-Core mapping with three subject templates: R2RML-style IRIs (values percent-encoded but
 * accents kept), RML-Core URIs (values fully percent-encoded under a template with an accent of
 * its own), and unsafe IRIs (values as they are, `/` and spaces included).
 */
const mapping = `@prefix rml: <http://w3id.org/rml/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
<#source> rml:source [ a rml:RelativePathSource; rml:root rml:MappingDirectory; rml:path "eventos.json" ];
  rml:referenceFormulation rml:JSONPath; rml:iterator "$[*]" .
<#Iri> a rml:TriplesMap; rml:logicalSource <#source>;
  rml:subjectMap [ rml:template "id/evento/{$.FECHA}-{$.X}" ];
  rml:predicateObjectMap [ rml:predicate rdfs:label; rml:objectMap [ rml:reference "$.FECHA" ] ] .
<#Uri> a rml:TriplesMap; rml:logicalSource <#source>;
  rml:subjectMap [ rml:template "id/categoría/{$.FECHA}"; rml:termType rml:URI ];
  rml:predicateObjectMap [ rml:predicate rdfs:comment; rml:objectMap [ rml:reference "$.X" ] ] .
<#Unsafe> a rml:TriplesMap; rml:logicalSource <#source>;
  rml:subjectMap [ rml:template "id/crudo/{$.SAFE}/{$.X}"; rml:termType rml:UnsafeIRI ];
  rml:predicateObjectMap [ rml:predicate rdfs:label; rml:objectMap [ rml:reference "$.SAFE" ] ] .
`;

/**
 * Maps `values` with the real engine (src/mapping) against `baseIRI`.
 * @returns the quads, in the default graph, ready for `putDataset`.
 */
export async function mintAwkwardResources(baseIRI: string, values: readonly string[]): Promise<RDF.Quad[]> {
  const dir = await mkdtemp(join(tmpdir(), 'vinculo-awkward-'));
  try {
    const rows = values.map((value, index) => ({
      FECHA: value,
      X: String(index),
      SAFE: value.replace(unsafeOmits, '_'),
    }));
    await writeFile(join(dir, 'eventos.json'), JSON.stringify(rows));
    await writeFile(join(dir, 'mapping.ttl'), mapping);
    const plan = await loadMapping(join(dir, 'mapping.ttl'), { baseIRI, allowedDirs: [dir] });
    const quads: RDF.Quad[] = [];
    for await (const quad of executeMapping(plan, { errorPolicy: 'fail' }).quads) quads.push(quad);
    return quads;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
