import { describe, expect, test } from '@jest/globals';
import { ConfigError, parseConfig } from './index.js';

const trustProxy = (value: string | undefined) => parseConfig({ NODE_ENV: 'test', TRUST_PROXY: value }).TRUST_PROXY;

function problems(value: string): { variable: string; message: string }[] {
  try {
    parseConfig({ NODE_ENV: 'test', TRUST_PROXY: value });
    return [];
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
}

describe('TRUST_PROXY', () => {
  test.each([
    [undefined, false],
    ['', false],
    ['false', false],
    ['0', false],
    ['1', 1],
    ['2', 2],
    ['10.0.0.0/8', ['10.0.0.0/8']],
    ['10.0.0.0/8, 192.168.1.10 ,fd00::/8', ['10.0.0.0/8', '192.168.1.10', 'fd00::/8']],
    ['loopback,uniquelocal', ['loopback', 'uniquelocal']],
  ])('%j → %j', (value, expected) => {
    expect(trustProxy(value)).toEqual(expected);
  });

  test.each([['true'], ['TRUE'], ['yes'], ['11'], ['-1'], ['1.5'], ['10.0.0.0/33'], ['proxy.example.com'], ['10.0.0.1:8080'], [',']])(
    '%j stops the start with a problem naming TRUST_PROXY',
    (value) => {
      const found = problems(value);
      expect(found.map((p) => p.variable)).toEqual(['TRUST_PROXY']);
    },
  );

  test('true is refused with the reason, and every bad entry of a list is named', () => {
    expect(problems('true')[0]?.message).toMatch(/lets any client choose its address/);
    expect(problems('10.0.0.0/8,nope,1.2.3.4/40').map((p) => p.message)).toEqual([
      expect.stringContaining('"nope"'),
      expect.stringContaining('"1.2.3.4/40"'),
    ]);
  });
});
