export { bootstrap, onShutdown, type Runtime } from './bootstrap.js';
export { UnreachableServiceError, checkPostgres, checkRedis } from './infrastructure.js';
export { startHealthServer, type HealthChecks } from './health-server.js';
