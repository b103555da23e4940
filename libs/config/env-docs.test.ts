import { readFileSync } from 'node:fs';
import { expect, test } from '@jest/globals';
import { appPath } from './app-root.js';
import { configurationReference } from './env-docs.js';
import { envSchema } from './env.schema.js';

test('docs/configuration-reference.md is what the schema generates (run `npm run docs:config` after changing a variable)', () => {
  expect(readFileSync(appPath('docs/configuration-reference.md'), 'utf8')).toBe(configurationReference());
});

test('the reference names every variable with its default', () => {
  const page = configurationReference();
  for (const name of Object.keys(envSchema.shape)) expect(page).toContain(`| \`${name}\` |`);
  expect(page).toContain('| `API_PORT` | `8080` |');
  expect(page).toContain('| `API_TOKEN` |  | secret, or `API_TOKEN_FILE` |');
});
