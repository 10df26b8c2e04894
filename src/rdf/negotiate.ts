/** HTTP content negotiation (RFC 9110 §12.5.1): one function for every route. */

interface MediaRange {
  readonly type: string;
  readonly subtype: string;
  readonly q: number;
  readonly specificity: number;
}

function parseAccept(header: string): MediaRange[] {
  const ranges: MediaRange[] = [];
  for (const part of header.split(',')) {
    const [range = '', ...params] = part.trim().split(';');
    const [type, subtype] = range.trim().toLowerCase().split('/');
    if (!type || !subtype) continue;
    let q = 1;
    for (const param of params) {
      const [key, value] = param.trim().split('=');
      if (key?.trim() === 'q' && value !== undefined) {
        const parsed = Number.parseFloat(value);
        q = Number.isFinite(parsed) ? Math.min(Math.max(parsed, 0), 1) : 0;
      }
    }
    const specificity = type === '*' ? 0 : subtype === '*' ? 1 : 2;
    ranges.push({ type, subtype, q, specificity });
  }
  return ranges;
}

function qualityFor(mediaType: string, ranges: readonly MediaRange[]): number {
  const [type, subtype] = mediaType.toLowerCase().split('/');
  let best: MediaRange | undefined;
  for (const range of ranges) {
    const matches =
      (range.type === '*' || range.type === type) && (range.subtype === '*' || range.subtype === subtype);
    if (matches && (best === undefined || range.specificity > best.specificity)) best = range;
  }
  return best?.q ?? 0;
}

/**
 * Picks the offered media type the client prefers. Ties go to the order of `offers`
 * (the server's preference). A missing or empty Accept accepts the first offer.
 * @returns the chosen media type, or undefined when nothing offered is acceptable (406).
 */
export function negotiate(accept: string | undefined, offers: readonly string[]): string | undefined {
  if (accept === undefined || accept.trim() === '') return offers[0];
  const ranges = parseAccept(accept);
  let chosen: string | undefined;
  let chosenQ = 0;
  for (const offer of offers) {
    const q = qualityFor(offer, ranges);
    if (q > chosenQ) {
      chosen = offer;
      chosenQ = q;
    }
  }
  return chosen;
}
