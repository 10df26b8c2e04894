/**
 * The retention policy of a stream's view (LDES §Retention policies): every member of the last
 * `fullLogDuration`, and the latest `versionAmount` versions of each resource, are kept; what
 * lies outside both may be compacted away. `"all"` keeps every member and states no policy.
 */
import type { LdesRetention } from '../config/index.js';

export type RetentionPolicy = LdesRetention;

/**
 * How much earlier than the policy's window members are still kept: the LDES server primer asks
 * for a safety buffer against clock skew between producer and consumers.
 */
export const clockSkewAllowanceMs = 5 * 60_000;

const durationPattern = /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/;

/**
 * `time` minus an ISO 8601 duration (`P1Y2M3W4DT5H6M7S`) as XML Schema adds durations to
 * dateTimes (XSD 1.1 Part 2, appendix E.3.3): years and months first, the day pinned to the
 * resulting month's last day when it has fewer (31 March − P1M is 29 February in a leap year),
 * then days, hours, minutes and seconds as fixed lengths. UTC.
 * @throws RangeError for a text that is not such a duration (the configuration checked it already).
 */
export function subtractDuration(time: Date, duration: string): Date {
  const parts = durationPattern.exec(duration);
  if (!parts) throw new RangeError(`not an ISO 8601 duration: ${JSON.stringify(duration)}`);
  const [years, months, weeks, days, hours, minutes, seconds] = parts.slice(1).map((part) => Number(part ?? 0)) as [number, number, number, number, number, number, number];
  const monthIndex = time.getUTCFullYear() * 12 + time.getUTCMonth() - years * 12 - months;
  const year = Math.floor(monthIndex / 12);
  const month = monthIndex - year * 12;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  const shifted = Date.UTC(year, month, Math.min(time.getUTCDate(), lastDay), time.getUTCHours(), time.getUTCMinutes(), time.getUTCSeconds(), time.getUTCMilliseconds());
  return new Date(shifted - (((weeks * 7 + days) * 24 + hours) * 3600 + minutes * 60 + seconds) * 1000);
}

/**
 * The instant (ms) before which a member is outside the full-log window at `now`, the clock-skew
 * buffer included; undefined when the policy keeps everything.
 */
export function fullLogCutoff(policy: RetentionPolicy, now: Date): number | undefined {
  if (policy === 'all') return undefined;
  return subtractDuration(now, policy.fullLogDuration).getTime() - clockSkewAllowanceMs;
}
