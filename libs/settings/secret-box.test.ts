import { randomBytes } from 'node:crypto';
import { expect, test } from '@jest/globals';
import { SecretBox } from './index.js';

const key = randomBytes(32).toString('base64');

test('seals and opens, with a fresh IV each time and no plaintext in the output', () => {
  const box = new SecretBox(key);
  const a = box.seal('{"apiToken":"s3cr3t-token"}');
  const b = box.seal('{"apiToken":"s3cr3t-token"}');
  expect(a).not.toBe(b);
  expect(Buffer.from(a, 'base64').toString('latin1')).not.toContain('s3cr3t');
  expect(box.open(a)).toBe('{"apiToken":"s3cr3t-token"}');
});

test('a tampered ciphertext or another key fails loudly', () => {
  const box = new SecretBox(key);
  const sealed = Buffer.from(box.seal('secret'), 'base64');
  const last = sealed.length - 1;
  sealed.writeUInt8(sealed.readUInt8(last) ^ 1, last);
  expect(() => box.open(sealed.toString('base64'))).toThrow();
  expect(() => new SecretBox(randomBytes(32).toString('base64')).open(box.seal('secret'))).toThrow();
});

test('a key that is not 32 bytes is refused', () => {
  expect(() => new SecretBox(randomBytes(16).toString('base64'))).toThrow(/32 bytes/);
});

test('a key with characters outside base64 or wrong padding is refused, even when Node would decode it to 32 bytes', () => {
  const good = randomBytes(32).toString('base64');
  for (const bad of [`${good.slice(0, 10)}*${good.slice(10)}`, `${good.slice(0, 10)}\n${good.slice(10)}`, good.replace(/=$/, '')]) {
    expect(Buffer.from(bad, 'base64')).toHaveLength(32);
    expect(() => new SecretBox(bad)).toThrow(/32 bytes/);
  }
});

test('a sealed secret whose tag is cut short is refused', () => {
  const box = new SecretBox(key);
  // With nothing after the tag, a truncated tag is what GCM would check: a 4-byte prefix of the
  // real tag verifies unless the tag length is pinned.
  const sealed = Buffer.from(box.seal(''), 'base64');
  for (const tagBytes of [4, 8, 12, 15]) {
    const short = sealed.subarray(0, 12 + tagBytes).toString('base64');
    expect(() => box.open(short)).toThrow();
  }
  expect(box.open(sealed.toString('base64'))).toBe('');
});
