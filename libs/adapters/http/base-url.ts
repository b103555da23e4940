import { z } from 'zod';

function isPlainBaseUrl(text: string): boolean {
  if (/[?#]/.test(text)) return false;
  if (!URL.canParse(text)) return true; // the URL check itself reports it
  const url = new URL(text);
  return url.username === '' && url.password === '';
}

/**
 * An http(s) base URL that paths are appended to: no user info (it would be sent as credentials), no
 * query or fragment (`https://x/?` + `/rest/api/2/myself` would request `https://x/`). Normalised to
 * origin and path without a trailing slash, so one URL has one spelling.
 */
export function baseUrlSchema(message = 'must be an http(s) URL') {
  return z
    .url({ protocol: /^https?$/, message })
    .refine(isPlainBaseUrl, 'must be a base URL without user info, query or fragment')
    .transform((u) => {
      const url = new URL(u);
      return `${url.origin}${url.pathname}`.replace(/\/+$/, '');
    });
}
