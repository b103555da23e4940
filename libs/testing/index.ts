export { createTestDatabase, prepareTestTemplate, uniqueName, TEST_REDIS_URL, TEST_SERVER_URL } from './test-database.js';
export * from './simulators/index.js';
export { startProactiveSimulator, type ProactiveSimulator, type ProactiveSimulatorOptions } from './simulators/proactive.simulator.js';
export {
  PROACTIVE_TICKET_STATUSES,
  type SimulatedProactiveCase,
  type SimulatedCaseUpdate,
  type ProactiveTicketStatusName,
} from './simulators/proactive-simulator.store.js';
export { ensureNode24, PRODUCTION_NODE_MAJOR } from './node24.js';
export { makePrivatePki, startForwardProxy, startTlsFront, type ForwardProxy, type PrivatePki, type TlsFront } from './egress.js';
export { startPrivatePostgres, type PrivatePostgres } from './private-postgres.js';
export { startPgBouncer, type PgBouncer } from './pgbouncer.js';
export { startRedisSentinelSet, type RedisSentinelSet } from './redis-sentinel.js';
export { startRedisCluster, type RedisClusterSet } from './redis-cluster.js';
export { freePort } from './free-port.js';
export { removeTestQueues } from './test-queues.js';
