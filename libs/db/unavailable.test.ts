import { expect, test } from '@jest/globals';
import { isDatabaseUnavailable } from './unavailable.js';

const err = (props: Record<string, unknown>, message = 'x') => Object.assign(new Error(message), props);

test.each([
  ['a refused connection', err({ code: 'ECONNREFUSED' }), true],
  ['the server shutting down (57P01)', err({ code: '57P01' }), true],
  ['the server starting up (57P03)', err({ code: '57P03' }), true],
  ['a connection failure (08006)', err({ code: '08006' }), true],
  ['too many connections', err({ code: '53300' }), true],
  ['node-postgres: connection terminated', err({}, 'Connection terminated unexpectedly'), true],
  ['node-postgres: pool connect timeout', err({}, 'timeout exceeded when trying to connect'), true],
  ['Prisma: cannot reach the server, as the cause', err({ cause: err({ code: 'P1001' }) }), true],
  ['a unique violation', err({ code: '23505' }), false],
  ['a syntax error', err({ code: '42601' }), false],
  ['a serialization failure', err({ code: '40001' }), false],
  ['anything else', new Error('boom'), false],
  ['not an error', 'ECONNREFUSED', false],
])('%s → %s', (_what, error, expected) => {
  expect(isDatabaseUnavailable(error)).toBe(expected);
});
