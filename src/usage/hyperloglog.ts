/**
 * A HyperLogLog sketch (Flajolet, Fusy, Gandouet, Meunier 2007) of distinct clients, fed with
 * keyed hashes that are already uniform (HMAC-SHA-256), so it hashes nothing itself. Precision 12:
 * 4,096 one-byte registers, relative standard error 1.04/√4096 ≈ 1.63 %; linear counting below
 * 2.5·m makes small counts (tens of clients) nearly exact.
 */

/** Register-index bits. */
export const sketchPrecision = 12;
export const sketchRegisters = 1 << sketchPrecision;
/** The estimate's relative standard error, 1.04/√m (published on `vin:distinctClients` as `vin:relativeError`). */
export const sketchRelativeError = 1.04 / Math.sqrt(sketchRegisters);

const alpha = 0.7213 / (1 + 1.079 / sketchRegisters);

/** The two 32-bit words of a client's keyed hash that a sketch reads. */
export interface ClientHash {
  readonly high: number;
  readonly low: number;
}

/**
 * Adds a hash to `registers`.
 * @returns the register index when it changed (the journal records only changed registers), else -1.
 */
export function addToSketch(registers: Uint8Array, hash: ClientHash): number {
  const index = hash.high >>> (32 - sketchPrecision);
  const rank = Math.clz32(hash.low) + 1;
  if ((registers[index] ?? 0) >= rank) return -1;
  registers[index] = rank;
  return index;
}

/** The estimated number of distinct hashes added (HyperLogLog's raw estimate, linear counting for small ones). */
export function estimateDistinct(registers: Uint8Array): number {
  let harmonic = 0;
  let zeros = 0;
  for (const rank of registers) {
    harmonic += 2 ** -rank;
    if (rank === 0) zeros++;
  }
  const raw = (alpha * sketchRegisters * sketchRegisters) / harmonic;
  if (raw <= 2.5 * sketchRegisters && zeros > 0) return sketchRegisters * Math.log(sketchRegisters / zeros);
  return raw;
}
