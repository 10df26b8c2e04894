/** The HTTP face of Vínculo: `createApp` wires the protocols; `serve` runs it with graceful shutdown. */
export type { HarvestRequest, HarvestStreamLine, HarvestUrl } from './admin-harvest.js';
export type { AdminImport, AdminStreamLine, ImportMapping, ImportOutcome, ImportRequest, ImportStreamLine } from './admin-import.js';
export type { HarvestStatusSource } from './harvest-page.js';
export { MetricsRegistry } from './metrics.js';
export { createApp, createRequestHandler, type AppDependencies } from './app.js';
export { serve, type RunningServer } from './serve.js';
