/**
 * The counts in memory: per UTC day and dataset, one counter per metric and one sketch of the
 * distinct clients — bounded by the days not yet published for good (today, and yesterday until
 * its final publication) times the datasets. What changed since the last journal flush is kept
 * apart, so a flush writes only the changes.
 */
import { addToSketch, type ClientHash, estimateDistinct, sketchRegisters } from './hyperloglog.js';
import { type CountedMetric, counterSlot, countedMetrics, type SlotCounts } from './usage-metrics.js';

/** One journal line: counts added (or, in a compacted journal, the totals) and registers raised; or a day published for good. */
export type UsageRecord =
  | {
      readonly day: string;
      readonly dataset: string;
      readonly counts: Partial<Record<CountedMetric, number>>;
      /** Pairs of register index and rank, flattened. */
      readonly registers: readonly number[];
    }
  | { readonly published: string };

/** One dataset's use on one day. */
export class DayUsage {
  readonly counts = new Float64Array(countedMetrics.length);
  readonly registers = new Uint8Array(sketchRegisters);
  readonly #addedCounts = new Float64Array(countedMetrics.length);
  readonly #raisedRegisters = new Set<number>();
  #changed = false;
  #revision = 0;

  /** Grows with every change: the publisher writes a day again only when it changed. */
  get revision(): number {
    return this.#revision;
  }

  add(metric: CountedMetric, amount: number): void {
    this.addCounts([counterSlot[metric], amount]);
  }

  /** Adds each amount of `counts` (pairs of counter slot and amount) to its counter. */
  addCounts(counts: SlotCounts): void {
    for (let at = 0; at + 1 < counts.length; at += 2) {
      const slot = counts[at] as number;
      const amount = counts[at + 1] as number;
      if (amount === 0) continue;
      this.counts[slot] = (this.counts[slot] ?? 0) + amount;
      this.#addedCounts[slot] = (this.#addedCounts[slot] ?? 0) + amount;
      this.#changed = true;
      this.#revision++;
    }
  }

  recognise(hash: ClientHash): void {
    const raised = addToSketch(this.registers, hash);
    if (raised < 0) return;
    this.#raisedRegisters.add(raised);
    this.#changed = true;
    this.#revision++;
  }

  count(metric: CountedMetric): number {
    return this.counts[counterSlot[metric]] ?? 0;
  }

  distinctClients(): number {
    return Math.round(estimateDistinct(this.registers));
  }

  /** Whether anything was counted at all (days without use are never published). */
  isEmpty(): boolean {
    return this.counts.every((value) => value === 0);
  }

  /** The changes since the last call, as a journal record (undefined when none), and forgets them. */
  takeChanges(day: string, dataset: string): UsageRecord | undefined {
    if (!this.#changed) return undefined;
    const record = { day, dataset, counts: countsOf(this.#addedCounts), registers: [...this.#raisedRegisters].flatMap((index) => [index, this.registers[index] ?? 0]) };
    this.#addedCounts.fill(0);
    this.#raisedRegisters.clear();
    this.#changed = false;
    return record;
  }

  /** Everything, as one record (a compacted journal's line). */
  whole(day: string, dataset: string): UsageRecord {
    const registers: number[] = [];
    this.registers.forEach((rank, index) => {
      if (rank > 0) registers.push(index, rank);
    });
    return { day, dataset, counts: countsOf(this.counts), registers };
  }

  /** Replays a journal record: counts added, registers raised to at least its ranks. */
  replay(counts: Partial<Record<CountedMetric, number>>, registers: readonly number[]): void {
    for (const metric of countedMetrics) {
      const amount = counts[metric];
      if (amount !== undefined) this.counts[counterSlot[metric]] = (this.counts[counterSlot[metric]] ?? 0) + amount;
    }
    for (let at = 0; at + 1 < registers.length; at += 2) {
      const index = registers[at] as number;
      const rank = registers[at + 1] as number;
      if (index >= 0 && index < sketchRegisters && rank > (this.registers[index] ?? 0)) this.registers[index] = rank;
    }
  }
}

function countsOf(values: Float64Array): Partial<Record<CountedMetric, number>> {
  const counts: Partial<Record<CountedMetric, number>> = {};
  countedMetrics.forEach((metric, slot) => {
    const value = values[slot] ?? 0;
    if (value !== 0) counts[metric] = value;
  });
  return counts;
}

/** Every (day, dataset) being counted. */
export class UsageBook {
  readonly #days = new Map<string, Map<string, DayUsage>>();

  /** The usage of `dataset` on `day`, made when first counted. */
  usage(day: string, dataset: string): DayUsage {
    let datasets = this.#days.get(day);
    if (!datasets) {
      datasets = new Map();
      this.#days.set(day, datasets);
    }
    let usage = datasets.get(dataset);
    if (!usage) {
      usage = new DayUsage();
      datasets.set(dataset, usage);
    }
    return usage;
  }

  days(): string[] {
    return [...this.#days.keys()].sort();
  }

  datasetsOn(day: string): ReadonlyMap<string, DayUsage> {
    return this.#days.get(day) ?? new Map();
  }

  /** Forgets a day once it is published for good. */
  drop(day: string): void {
    this.#days.delete(day);
  }

  /** The changes since the last call, one record per (day, dataset) that changed. */
  takeChanges(): UsageRecord[] {
    const records: UsageRecord[] = [];
    for (const [day, datasets] of this.#days) {
      for (const [dataset, usage] of datasets) {
        const record = usage.takeChanges(day, dataset);
        if (record) records.push(record);
      }
    }
    return records;
  }

  /** The whole book as records (the lines of a compacted journal); pending changes are included, so they are forgotten. */
  wholeRecords(): UsageRecord[] {
    const records: UsageRecord[] = [];
    for (const [day, datasets] of this.#days) {
      for (const [dataset, usage] of datasets) {
        usage.takeChanges(day, dataset);
        records.push(usage.whole(day, dataset));
      }
    }
    return records;
  }

  /** Rebuilds the book from a journal's records, in order. */
  replay(records: Iterable<UsageRecord>): void {
    for (const record of records) {
      if ('published' in record) this.drop(record.published);
      else this.usage(record.day, record.dataset).replay(record.counts, record.registers);
    }
    // Replayed counts are already in the journal.
    this.takeChanges();
  }
}
