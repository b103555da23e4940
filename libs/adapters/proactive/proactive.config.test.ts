import { describe, expect, test } from '@jest/globals';
import { proactiveConfigSchema } from './proactive.config.js';

const VALID = { baseUrl: 'https://cases.mssp.example/api/proactive/v1/', appId: 'rhythmx', secret: 's', serviceIdentifier: 'CI0012345' };

describe('proactiveConfigSchema', () => {
  test('defaults the table and Source, and normalises the base URL', () => {
    expect(proactiveConfigSchema.parse(VALID)).toEqual({
      baseUrl: 'https://cases.mssp.example/api/proactive/v1',
      appId: 'rhythmx',
      secret: 's',
      table: 'Case',
      source: 'Managed_services',
      serviceIdentifier: 'CI0012345',
      lifecycle: { resolve: false, reopen: false, onClosed: 'follow-up' },
    });
  });

  test('names every problem by its field', () => {
    const result = proactiveConfigSchema.safeParse({ baseUrl: 'ftp://x', appId: 'a:b', source: 'x\r\nInjected: 1', serviceIdentifier: ' ' });
    expect(result.success).toBe(false);
    const paths = result.error!.issues.map((i) => i.path.join('.')).sort();
    expect(paths).toEqual(['appId', 'baseUrl', 'secret', 'serviceIdentifier', 'source']);
  });
});
