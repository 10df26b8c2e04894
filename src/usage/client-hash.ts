/**
 * Who a client is, for the distinct-client sketch only: an HMAC-SHA-256 of its address under a
 * key drawn at random for each UTC day and held only in memory, so neither the address nor
 * anything that could be tested against an address is ever written. IPv6 clients count by their
 * /64 (privacy extensions change the rest every few hours).
 */
import { createHmac, randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { ClientHash } from './hyperloglog.js';

/** The address as the sketch knows it: IPv4 as is (an IPv4-mapped IPv6 address unwrapped), IPv6 cut to its /64. */
export function clientAddress(address: string): string {
  if (address.startsWith('::ffff:') && address.includes('.')) return address.slice(7);
  if (!address.includes(':')) return address;
  const [head = '', tail = ''] = address.split('::');
  const left = head === '' ? [] : head.split(':');
  const right = tail === '' ? [] : tail.split(':');
  const groups = address.includes('::') ? [...left, ...Array<string>(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right] : left;
  return `${groups.slice(0, 4).map((group) => group.toLowerCase().replace(/^0+(?=.)/, '')).join(':')}::/64`;
}

/** `DNT: 1` or `Sec-GPC: 1`: the client asked not to be tracked, so it is counted but never recognised. */
export function declinesTracking(request: IncomingMessage): boolean {
  return request.headers.dnt === '1' || request.headers['sec-gpc'] === '1';
}

/** Keyed client hashes with the day's key (the counter hashes a keep-alive connection once a day). */
export class ClientHasher {
  #day = '';
  #key: Buffer = randomBytes(32);

  /** The hash of a client's address on `day` (the key changes with the day). */
  hashOf(address: string, day: string): ClientHash {
    if (day !== this.#day) {
      this.#day = day;
      this.#key = randomBytes(32);
    }
    const digest = createHmac('sha256', this.#key).update(clientAddress(address)).digest();
    return { high: digest.readUInt32BE(0), low: digest.readUInt32BE(4) };
  }
}
