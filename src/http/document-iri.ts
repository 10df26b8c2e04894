/**
 * The exact correspondence between the IRIs the store holds and the request paths that name them
 * (RFC 3987 §3.1 IRI → URI, §3.2 URI → IRI). A path is never percent-decoded as a whole: `%2F`,
 * `%20` or `%2C` in a minted IRI are part of its name, and a decoded `/` would name another IRI.
 */

// The URI spaces themselves are part of the URI scheme (rdf/uris.ts); this file maps their IRIs to paths.
export { type DocumentSpace, documentSpaces } from '../rdf/index.js';

/** Decodable percent-encoded characters beyond which only the two extreme readings are tried. */
const maxMixedUnits = 8;

function percentEncoded(char: string): string {
  let out = '';
  for (const byte of Buffer.from(char, 'utf8')) out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  return out;
}

/**
 * The URI form of an IRI's path (RFC 3987 §3.1): non-ASCII characters become UTF-8
 * percent-encodings; everything else, `%XX` included, stays byte for byte. (The store refuses
 * IRIs with spaces, controls or `<>"{}|^\`\\`, so no other character needs encoding.)
 */
export function uriPathOf(iriPath: string): string {
  return iriPath.replace(/[\u0080-\u{10ffff}]/gu, percentEncoded);
}

/** A run of a URI path: text kept as is, or one percent-encoded non-ASCII character that an IRI may hold decoded. */
type Unit = { readonly text: string } | { readonly encoded: string; readonly decoded: string };

const utf8 = new TextDecoder('utf-8', { fatal: true });

function unitsOf(uriPath: string): Unit[] {
  const units: Unit[] = [];
  // One non-ASCII character's UTF-8: a lead byte C2–F4, then its continuation bytes 80–BF.
  // ASCII ones are never read: `%2F`, `%2C`, `%25`… are part of the IRI's name.
  const sequence = /%(?:[Cc][2-9A-Fa-f]|[Dd][0-9A-Fa-f])%[89ABab][0-9A-Fa-f]|%[Ee][0-9A-Fa-f](?:%[89ABab][0-9A-Fa-f]){2}|%[Ff][0-4](?:%[89ABab][0-9A-Fa-f]){3}/g;
  let last = 0;
  for (const match of uriPath.matchAll(sequence)) {
    let decoded: string;
    try {
      decoded = utf8.decode(Uint8Array.from(match[0].slice(1).split('%'), (hex) => Number.parseInt(hex, 16)));
    } catch {
      continue;
    }
    units.push({ text: uriPath.slice(last, match.index) }, { encoded: match[0], decoded });
    last = match.index + match[0].length;
  }
  units.push({ text: uriPath.slice(last) });
  return units;
}

/**
 * The IRI paths whose URI form is `uriPath`: the RFC 3987 §3.2 reading (every non-ASCII
 * character decoded) first, then the path as sent, then the readings that decode only some (an
 * RML-Core template percent-encodes its values' `á` but keeps the template's own). ASCII
 * percent-encodings are never decoded. Duplicates are dropped.
 */
export function iriPathsOf(uriPath: string): string[] {
  const units = unitsOf(uriPath);
  const choices = units.filter((unit) => 'encoded' in unit).length;
  const reading = (decodes: (index: number) => boolean) => {
    let index = 0;
    return units.map((unit) => ('text' in unit ? unit.text : decodes(index++) ? unit.decoded : unit.encoded)).join('');
  };
  const paths = new Set([reading(() => true), uriPath]);
  if (choices <= maxMixedUnits) {
    for (let mask = 1; mask < 2 ** choices - 1; mask++) paths.add(reading((index) => (mask & (1 << index)) !== 0));
  }
  return [...paths];
}
