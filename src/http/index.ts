/** The HTTP face of Vínculo: `createApp` wires the protocols; `serve` runs it with graceful shutdown. */
export type { AdminImport, ImportMapping, ImportOutcome, ImportRequest, ImportStreamLine } from './admin-import.js';
export { createApp, createRequestHandler, type AppDependencies } from './app.js';
export { serve, type RunningServer } from './serve.js';
