import type { FastifyInstance } from 'fastify';
import { targetSystemSchema, type TargetSystem } from '@rhx/domain';
import { EncryptionKeyMissingError, type IntegrationAdmin } from '@rhx/push';
import { ApiError } from '../api-error.js';
import { operatorOf } from '../auth.js';

type SystemParams = { Params: { system: string } };

function systemOf(raw: string): TargetSystem {
  const parsed = targetSystemSchema.safeParse(raw);
  if (!parsed.success) throw new ApiError(404, 'UNKNOWN_SYSTEM', `unknown target system "${raw}"; systems are jira, servicenow`);
  return parsed.data;
}

// `/v1/integrations/:system` is the contract's path; `/v1/settings/integrations/:system` names the same resource.
const PREFIXES = ['/v1/integrations', '/v1/settings/integrations'] as const;

/** Integration settings, status and connection tests: the same {@link IntegrationAdmin} the console uses. */
export function integrationRoutes(app: FastifyInstance, admin: IntegrationAdmin): void {
  app.get('/v1/integrations', async () => admin.statuses());

  for (const prefix of PREFIXES) {
    app.get<SystemParams>(`${prefix}/:system`, async (request) => admin.describe(systemOf(request.params.system)));

    app.put<SystemParams>(`${prefix}/:system`, async (request) => {
      try {
        return await admin.update(systemOf(request.params.system), request.body, operatorOf(request));
      } catch (err) {
        if (err instanceof EncryptionKeyMissingError) throw new ApiError(409, 'ENCRYPTION_KEY_MISSING', err.message);
        throw err;
      }
    });

    // With a body (settings as for PUT), the typed values are tested over the stored ones, nothing saved.
    app.post<SystemParams>(`${prefix}/:system/test`, async (request) => {
      const body = request.body;
      const typed = body && typeof body === 'object' && Object.keys(body).length > 0 ? body : undefined;
      return admin.testConnection(systemOf(request.params.system), operatorOf(request), typed);
    });
  }
}
