import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { incidentSchema, type Incident, type RiskLevel } from '@rhx/domain';

/** The shared sample incidents (`fixtures/incidents/*.json`); tests only. */
export const INCIDENT_FIXTURES_DIR = process.env.RHX_FIXTURES_DIR ?? '/work/shared/fixtures/incidents';

/** A sample incident by file stem (`critical-credential-access`), parsed with the domain schema. */
export function loadIncidentFixture(name: string): Incident {
  return incidentSchema.parse(JSON.parse(readFileSync(join(INCIDENT_FIXTURES_DIR, `${name}.json`), 'utf8')));
}

/** The minimal fixture with its id and stated risk level replaced. */
export function incidentAt(level: RiskLevel, id = `INC-TEST-${level}`): Incident {
  const base = loadIncidentFixture('low-minimal');
  return { ...base, id, risk: { ...base.risk, level } };
}
