import { describe, expect, test } from '@jest/globals';
import { HostPolicy, isPublicAddress } from './host-policy.js';

const none = new HostPolicy({ any: false, names: [], suffixes: [], networks: [] });

describe('isPublicAddress', () => {
  test.each([
    ['8.8.8.8', true],
    ['104.16.0.1', true],
    ['2606:4700::1111', true],
    ['127.0.0.1', false],
    ['127.8.9.10', false],
    ['10.1.2.3', false],
    ['172.16.0.1', false],
    ['192.168.1.1', false],
    ['169.254.169.254', false],
    ['100.64.0.1', false],
    ['0.0.0.0', false],
    ['255.255.255.255', false],
    ['224.0.0.1', false],
    ['192.0.2.1', false],
    ['::1', false],
    ['::', false],
    ['fe80::1', false],
    ['fd00:ec2::254', false],
    ['fc00::1', false],
    ['ff02::1', false],
    ['::ffff:127.0.0.1', false],
    ['::ffff:169.254.169.254', false],
    ['64:ff9b::7f00:1', false],
    ['2002:7f00:1::', false],
    ['not an address', false],
  ])('%s → %s', (address, expected) => {
    expect(isPublicAddress(address)).toBe(expected);
  });
});

describe('HostPolicy', () => {
  const listed = new HostPolicy({ any: false, names: ['jira.corp.example'], suffixes: ['.svc.example'], networks: ['10.0.0.0/8', 'fd00::/8', '127.0.0.1/32'] });

  test('allows listed names and names below a *.wildcard, not the wildcard’s own name', () => {
    expect(listed.allowsName('Jira.Corp.Example.')).toBe(true);
    expect(listed.allowsName('a.b.svc.example')).toBe(true);
    expect(listed.allowsName('svc.example')).toBe(false);
    expect(listed.allowsName('evilsvc.example')).toBe(false);
  });

  test('allows public addresses and listed ranges, IPv4-mapped addresses judged as IPv4', () => {
    expect(listed.allowsAddress('10.9.8.7')).toBe(true);
    expect(listed.allowsAddress('::ffff:10.9.8.7')).toBe(true);
    expect(listed.allowsAddress('fd12::1')).toBe(true);
    expect(listed.allowsAddress('127.0.0.1')).toBe(true);
    expect(listed.allowsAddress('127.0.0.2')).toBe(false);
    expect(listed.allowsAddress('169.254.169.254')).toBe(false);
    expect(listed.allowsAddress('8.8.4.4')).toBe(true);
  });

  test.each([
    ['http://169.254.169.254/latest/meta-data', 'host 169.254.169.254 is not a public address; list it in INTEGRATION_ALLOWED_HOSTS to allow it'],
    ['http://127.0.0.1:18932/x', 'host 127.0.0.1 is not a public address; list it in INTEGRATION_ALLOWED_HOSTS to allow it'],
    ['http://[fd00:ec2::254]/', 'host fd00:ec2::254 is not a public address; list it in INTEGRATION_ALLOWED_HOSTS to allow it'],
    ['http://[::ffff:127.0.0.1]/', 'host ::ffff:7f00:1 is not a public address; list it in INTEGRATION_ALLOWED_HOSTS to allow it'],
    ['http://localhost:8080/', 'host localhost is not a public address; list it in INTEGRATION_ALLOWED_HOSTS to allow it'],
    ['http://app.localhost/', 'host app.localhost is not a public address; list it in INTEGRATION_ALLOWED_HOSTS to allow it'],
    ['http://0.0.0.0/', 'host 0.0.0.0 is not a public address; list it in INTEGRATION_ALLOWED_HOSTS to allow it'],
    ['https://acme.atlassian.net', undefined],
    ['https://8.8.8.8', undefined],
  ])('before connecting, with nothing listed: %s', (url, refusal) => {
    expect(none.refusalOf(new URL(url))).toBe(refusal);
  });

  test('`*` allows everything', () => {
    const all = HostPolicy.allowAll();
    expect(all.refusalOf(new URL('http://169.254.169.254/'))).toBeUndefined();
    expect(all.allowsAddress('127.0.0.1')).toBe(true);
  });
});
