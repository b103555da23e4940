import { describe, expect, test } from '@jest/globals';
import type { Redis } from 'ioredis';
import { throughFailover } from './through-failover.js';

// A connection as far as throughFailover looks at it: Sentinel-managed or not, its primary's replicas, WAIT.
function connection(opts: { sentinel: boolean; replicas: number; acks: number[] }): Redis {
  const acks = [...opts.acks];
  return {
    options: opts.sentinel ? { sentinels: [{ host: 's', port: 1 }] } : {},
    call: async () => ['master', 0, Array.from({ length: opts.replicas }, () => ['127.0.0.1', '1', '0'])],
    wait: async () => acks.shift() ?? 0,
  } as unknown as Redis;
}

describe('an idempotent enqueue through a failover', () => {
  test('keeps trying while Redis is away, then succeeds', async () => {
    let tries = 0;
    await throughFailover(connection({ sentinel: false, replicas: 0, acks: [] }), async () => {
      if (++tries < 3) throw new Error('connect ECONNREFUSED 127.0.0.1:6379');
    });
    expect(tries).toBe(3);
  });

  test('a slot moved mid-failover (MOVED, ASK) is tried again, not refused', async () => {
    const errors = ['MOVED 2106 127.0.0.1:44193', 'ASK 2106 127.0.0.1:44193'];
    let tries = 0;
    await throughFailover(connection({ sentinel: false, replicas: 0, acks: [] }), async () => {
      const error = errors[tries++];
      if (error) throw Object.assign(new Error(error), { name: 'ReplyError' });
    });
    expect(tries).toBe(3);
  });

  test('a refusal that is not about the connection is thrown at once', async () => {
    let tries = 0;
    await expect(throughFailover(connection({ sentinel: false, replicas: 0, acks: [] }), async () => {
      tries++;
      throw new Error('ERR value is not an integer');
    })).rejects.toThrow('not an integer');
    expect(tries).toBe(1);
  });

  test('on replicated Redis it counts only once a replica confirmed it; with no replica left, the primary’s word is enough', async () => {
    let tries = 0;
    await throughFailover(connection({ sentinel: true, replicas: 1, acks: [0, 1] }), async () => void tries++);
    expect(tries).toBe(2);
    tries = 0;
    await throughFailover(connection({ sentinel: true, replicas: 0, acks: [] }), async () => void tries++);
    expect(tries).toBe(1);
  });

  test('gives up with the last error when the time is up', async () => {
    await expect(throughFailover(connection({ sentinel: false, replicas: 0, acks: [] }), async () => {
      throw new Error('Connection is closed.');
    }, { limitMs: 300 })).rejects.toThrow('Connection is closed');
  });
});
