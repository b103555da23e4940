import { describe, expect, test } from '@jest/globals';
import { TicketError } from './ticket-error.js';
import { checkedUpdateMarker } from './update-marker.js';

describe('checkedUpdateMarker', () => {
  test.each(['rhythmx-update-3f2c1a9e-8b7d-4c6e-9f10-2a3b4c5d6e7f', 'a', 'x.y_z:1', 'a'.repeat(100)])('keeps %s', (marker) => {
    expect(checkedUpdateMarker(marker)).toBe(marker);
  });

  test.each([
    ['empty (it would match every note)', ''],
    ['an encoded-query separator', 'a^ORvalueISNOTEMPTY'],
    ['a space', 'rhythmx update'],
    ['a quote', 'x"'],
    ['a newline', 'a\nb'],
    ['101 characters', 'a'.repeat(101)],
  ])('refuses %s, permanently', (_name, marker) => {
    const error = (() => {
      try {
        checkedUpdateMarker(marker);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(TicketError);
    expect(error).toMatchObject({ code: 'INVALID_REQUEST', retryable: false });
  });
});
