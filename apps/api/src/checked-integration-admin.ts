import { InvalidInputError, type FieldProblem, type TargetSystem } from '@rhx/domain';
import { IntegrationAdmin, type IntegrationAdminDeps, type IntegrationDescription } from '@rhx/push';
import { identityChangeProblems, parseIntegrationBody, type IntegrationSettingsStore } from '@rhx/settings';

/**
 * The {@link IntegrationAdmin} both doors (the `/v1` API and the console) use, with every static rule of
 * a settings change checked first against the schemas the OpenAPI document is made from
 * (`INTEGRATION_BODY_SCHEMAS` of `@rhx/settings`): a NUL or unpaired surrogate in any setting, secret or
 * not, a project key Jira cannot have, a URL that is no base URL. Refused with the field named before
 * anything is stored. (Once IntegrationAdmin parses with those schemas itself, this class can go.)
 */
export class CheckedIntegrationAdmin extends IntegrationAdmin {
  private readonly settings: IntegrationSettingsStore;

  constructor(deps: IntegrationAdminDeps) {
    super(deps);
    this.settings = deps.integrations;
  }

  override async update(system: TargetSystem, body: unknown): Promise<IntegrationDescription> {
    try {
      parseIntegrationBody(system, this.fieldsOf(system).profile, body);
    } catch (err) {
      if (!(err instanceof InvalidInputError)) throw err;
      throw new InvalidInputError(`${system} settings`, [...(await this.storedStateProblems(system, body)), ...err.problems]);
    }
    return super.update(system, body);
  }

  // A refused change still lists every problem at once, the one that depends on what is stored too
  // (a secret needed again for a new URL or identity), as the store's own check would have.
  private async storedStateProblems(system: TargetSystem, body: unknown): Promise<FieldProblem[]> {
    if (body === null || typeof body !== 'object') return [];
    const change = Object.fromEntries(Object.entries(body).flatMap(([k, v]) => (typeof v === 'string' ? [[k, v.trim()]] : [])));
    const stored = await this.settings.read(system).catch(() => null);
    return identityChangeProblems(this.fieldsOf(system).profile, stored?.values ?? {}, change);
  }
}
