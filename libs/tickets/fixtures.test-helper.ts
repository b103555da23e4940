import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { incidentSchema, type Incident, type IncidentInput } from '@rhx/domain';

// The shared folder sits beside every checkout (`../shared`); tests may read fixtures from it.
const FIXTURES_DIR = fileURLToPath(new URL('../../../shared/fixtures/incidents/', import.meta.url));

/** Every valid sample incident (not `invalid/`), by file name. */
export function loadFixtures(): Array<[string, Incident]> {
  return readdirSync(FIXTURES_DIR)
    .filter((name) => name.endsWith('.json'))
    .sort()
    .map((name) => [name, parseIncident(JSON.parse(readFileSync(FIXTURES_DIR + name, 'utf8')))]);
}

export function loadFixture(name: string): Incident {
  return parseIncident(JSON.parse(readFileSync(FIXTURES_DIR + name, 'utf8')));
}

export function parseIncident(input: IncidentInput): Incident {
  return incidentSchema.parse(input);
}

/** A minimal valid incident with `overrides` applied on top. */
export function makeIncident(overrides: Partial<IncidentInput> = {}): Incident {
  return parseIncident({
    id: 'INC-TEST-0001',
    createdAt: '2026-11-21T21:59:00.000Z',
    actor: { name: 'j.doe', type: 'user' },
    risk: { score: 91 },
    ...overrides,
  });
}

/**
 * The visible form the documentation promises for a single-line incident value, written out
 * independently of the library: line-break runs → one space, bidi controls → `[U+XXXX]`,
 * other control characters and lone surrogates → U+FFFD.
 */
export function expectedInline(text: string): string {
  return expectedControls(text.replace(/(?:\r\n|[\r\n\u0085\u2028\u2029])+/g, ' '));
}

/** As {@link expectedInline} for multi-line text: each line break → `\n`. */
export function expectedMultiline(text: string): string {
  return expectedControls(text.replace(/\r\n|[\r\u0085\u2028\u2029]/g, '\n'));
}

function expectedControls(text: string): string {
  let out = '';
  for (const ch of text) {
    const code = ch.codePointAt(0) ?? 0;
    const bidi = (code >= 0x202a && code <= 0x202e) || (code >= 0x2066 && code <= 0x2069);
    const lone = code >= 0xd800 && code <= 0xdfff; // for…of yields a lone surrogate on its own
    const control = (code < 0x20 && ch !== '\n' && ch !== '\t') || (code >= 0x7f && code <= 0x9f) || lone;
    if (bidi) out += `[U+${code.toString(16).toUpperCase()}]`;
    else if (control) out += '\uFFFD';
    else out += ch;
  }
  return out;
}

/** The ServiceNow-specific part of the plain-text normalisation. */
export function expectedServiceNow(text: string): string {
  return text.replace(/\[(\/?)(code)\]/gi, '($1$2)');
}
