/**
 * The base URLs a settings change may name, as one regular expression the OpenAPI document can carry
 * (JSON Schema `pattern`, read as ECMA-262 with the `u` flag). Every string it matches is also a URL the
 * WHATWG parser and {@link baseUrlSchema} accept (the test tries each form), so a value valid by the
 * document is never refused for its syntax; only the host policy (INTEGRATION_ALLOWED_HOSTS, a setting
 * of the deployment) may still refuse it.
 */

const SCHEME = '[Hh][Tt][Tt][Pp][Ss]?://';
const OCTET = '(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';
const IPV4 = `${OCTET}(?:\\.${OCTET}){3}`;
const H16 = '[0-9A-Fa-f]{1,4}';
// The compressed forms of RFC 4291 without an embedded IPv4 tail.
const IPV6 = `\\[(?:(?:${H16}:){7}${H16}|(?:${H16}:){1,7}:|(?:${H16}:){1,6}:${H16}|(?:${H16}:){1,5}(?::${H16}){1,2}|(?:${H16}:){1,4}(?::${H16}){1,3}|(?:${H16}:){1,3}(?::${H16}){1,4}|(?:${H16}:){1,2}(?::${H16}){1,5}|${H16}:(?::${H16}){1,6}|:(?:(?::${H16}){1,7}|:))\\]`;
// An `xn--` label must be valid Punycode, which no pattern can check: such names are left out. The last
// label starts with a letter, so the parser never reads the name as an IPv4 number (`0x1f`, `256`).
const LABEL = '(?![Xx][Nn]--)[A-Za-z0-9-]+';
const DNS_NAME = `(?:${LABEL}\\.)*(?![Xx][Nn]--)[A-Za-z][A-Za-z0-9-]*`;
const HOST = `(?:${DNS_NAME}|${IPV4}|${IPV6})`;
const PORT = '(?::(?:6553[0-5]|655[0-2]\\d|65[0-4]\\d\\d|6[0-4]\\d{3}|[1-5]\\d{4}|[1-9]\\d{0,3}|0))';
// No query, fragment, white space, NUL or unpaired surrogate; a path is a context path (`/jira`).
const PATH = '(?:/[^?#\\s\\u0000\\uD800-\\uDFFF]*)';

/** `http(s)://host[:port][/path]`: no user info, query or fragment. */
export const BASE_URL_PATTERN = new RegExp(`^${SCHEME}${HOST}${PORT}?${PATH}?$`, 'u');

/** {@link BASE_URL_PATTERN}, or the same without the scheme (a bare host means `https://`). */
export const HOST_OR_BASE_URL_PATTERN = new RegExp(`^(?:${SCHEME})?${HOST}${PORT}?${PATH}?$`, 'u');

export const BASE_URL_PATTERN_MESSAGE = 'must be an http(s) base URL: scheme, host, optional port and path; no user info, query or fragment';
export const HOST_OR_BASE_URL_PATTERN_MESSAGE = 'must be a host or an http(s) base URL: no user info, query or fragment';
