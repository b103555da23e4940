import { auditApi } from '../routes/audit.api.js';
import { deliveryApi } from '../routes/deliveries.api.js';
import { incidentApi } from '../routes/incidents.api.js';
import { integrationApi } from '../routes/integrations.api.js';
import { riskApi } from '../routes/risk.api.js';
import { settingsApi } from '../routes/settings.api.js';
import { ticketApi } from '../routes/tickets.api.js';
import type { RouteDescription } from './route-description.js';

/**
 * Every `/v1` route's description, in the document's order. A new route adds its description to its
 * routes file's `*.api.ts` and, for a new file, a line here; the OpenAPI test fails for a route without one.
 */
export const API_ROUTES: readonly RouteDescription[] = [
  ...Object.values(incidentApi),
  ...Object.values(riskApi),
  ...Object.values(ticketApi),
  ...Object.values(deliveryApi),
  ...Object.values(integrationApi),
  ...Object.values(settingsApi),
  ...Object.values(auditApi),
];
