import { riskLevelOf, type Incident } from '@rhx/domain';
import type { TemplateContext } from '@rhx/fields';
import { deepLink } from '@rhx/tickets';

/** What a field rule's template reads (CONTRACT §3): the incident, its severity, the system's priority, the deep link. */
export function ruleContext(incident: Incident, priority: string, deepLinkBaseUrl: string | undefined): TemplateContext {
  const link = deepLink(deepLinkBaseUrl, incident.id);
  return { ...incident, severity: riskLevelOf(incident), priority, ...(link ? { deepLink: link } : {}) };
}
