import { describe, expect, test } from '@jest/globals';
import { decodeDeliveryCursor, encodeDeliveryCursor } from './delivery-cursor.js';

const cursor = { createdAt: new Date('2026-11-28T14:06:02.123Z'), id: '0b6c1e8a-3f3e-4b7a-9a53-1d2f3e4a5b6c' };
const b64 = (text: string) => Buffer.from(text).toString('base64url');

describe('delivery cursors', () => {
  test('round-trip to the millisecond, URL-safe as they are', () => {
    const text = encodeDeliveryCursor(cursor);
    expect(text).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeDeliveryCursor(text)).toEqual(cursor);
  });

  test.each([
    ['empty', ''],
    ['not base64url', '%%%'],
    ['no id', b64('2026-11-28T14:06:02.123Z')],
    ['an id that is no uuid', b64('2026-11-28T14:06:02.123Z_1 OR 1=1')],
    ['an extra part', b64(`2026-11-28T14:06:02.123Z_${cursor.id}_x`)],
    ['not a time', b64(`yesterday_${cursor.id}`)],
    ['a time not in the form given out', b64(`2026-11-28_${cursor.id}`)],
    ['truncated', encodeDeliveryCursor(cursor).slice(0, -4)],
    ['too long', 'A'.repeat(201)],
  ])('%s: refused', (_what, text) => {
    expect(decodeDeliveryCursor(text)).toBeUndefined();
  });
});
