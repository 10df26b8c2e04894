/** Use as published data: counting per dataset and day (privacy-safe distinct clients), its journal, DQV measurements in the catalog, reuse links. */
export { UsageCounter, type UsageCounterOptions, type TalliedAnswer, type UsageObserver } from './usage-counter.js';
export { usageVoid } from './publish-usage.js';
export { type Reuse, type ReuseKind, reuseKinds, reusesOf, reusesRouter, type ReusesOptions } from './reuses.js';
export { type UsageMetric, usageMetrics } from './usage-metrics.js';
export { sketchPrecision, sketchRelativeError } from './hyperloglog.js';
export { harvesterAgents } from './request-hits.js';
