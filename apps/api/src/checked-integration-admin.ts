import type { TargetSystem } from '@rhx/domain';
import { IntegrationAdmin, type IntegrationDescription } from '@rhx/push';
import { parseIntegrationBody } from '@rhx/settings';

/**
 * The {@link IntegrationAdmin} both doors (the `/v1` API and the console) use, with every static rule of
 * a settings change checked first against the schemas the OpenAPI document is made from
 * (`INTEGRATION_BODY_SCHEMAS` of `@rhx/settings`): a NUL or unpaired surrogate in any setting, secret or
 * not, a project key Jira cannot have, a URL that is no base URL. Refused with the field named before
 * anything is stored. (Once IntegrationAdmin parses with those schemas itself, this class can go.)
 */
export class CheckedIntegrationAdmin extends IntegrationAdmin {
  override async update(system: TargetSystem, body: unknown): Promise<IntegrationDescription> {
    parseIntegrationBody(system, this.fieldsOf(system).profile, body);
    return super.update(system, body);
  }
}
