import { z } from 'zod';
import type { AdapterOptions } from '../adapter-options.js';
import type { RemoteHttp } from '../remote-http.js';
import { basicCredentials, JsonClient, OAuthTokens, staticAuth, tokenEndpointError, type RequestAuth } from '../http/index.js';
import { TicketError } from '../ticket-error.js';
import type { JiraConfig } from './jira.config.js';

/** How the adapter reaches Jira's REST API: who it is, where the API is, and what to keep out of messages. */
export interface JiraAccess {
  auth: RequestAuth;
  /** The REST API's base (`…/rest/api/3`): the site's, or the gateway's once the cloud id is known. */
  base: () => Promise<string>;
  /** Where the calls go, for Test Connection (`the site`, `api.atlassian.com`). */
  route: string;
  secrets: string[];
  /** OAuth only: fetches a token now, so Test Connection can say whether the token endpoint answered. */
  tokens?: OAuthTokens;
}

const tenantInfo = z.object({ cloudId: z.string().regex(/^[A-Za-z0-9-]{1,64}$/) });

/**
 * The three ways into Jira Cloud (CONTRACT §2 `JIRA_AUTH`) and Data Center's two: Basic email + API token
 * or a personal access token at the site; a service account's scoped token (Basic) or its OAuth 2.0 client
 * credentials (Bearer), both through Atlassian's gateway `…/ex/jira/{cloudId}`. Browse links stay the site's.
 */
export function jiraAccess(config: JiraConfig, options: AdapterOptions, http: RemoteHttp): JiraAccess {
  const version = config.deployment === 'cloud' ? 3 : 2;
  const site = `${config.baseUrl}/rest/api/${version}`;
  if (config.auth === 'basic') {
    const apiToken = config.apiToken!;
    if (!config.email) return { auth: staticAuth('a personal access token', `Bearer ${apiToken}`), base: async () => site, route: 'the site', secrets: [apiToken] };
    const basic = basicCredentials(config.email, apiToken);
    return { auth: staticAuth('Basic auth (account and API token)', `Basic ${basic}`), base: async () => site, route: 'the site', secrets: [apiToken, basic] };
  }
  const base = gatewayBase(config, http);
  const route = new URL(config.gatewayUrl).host;
  if (config.auth === 'service-account-token') {
    const apiToken = config.apiToken!;
    const basic = basicCredentials(config.email!, apiToken);
    return { auth: staticAuth('a service account’s API token', `Basic ${basic}`), base, route, secrets: [apiToken, basic] };
  }
  const clientSecret = config.clientSecret!;
  const method = 'OAuth 2.0 client credentials';
  const endpoint = new JsonClient({ ...http, system: 'Atlassian', headers: { accept: 'application/json' }, secrets: [clientSecret], classify: tokenEndpointError(method) });
  const grant = { grant_type: 'client_credentials', client_id: config.clientId!, client_secret: clientSecret };
  const tokens = new OAuthTokens({ method, tokenUrl: config.tokenUrl, encoding: 'json', params: grant, secrets: [clientSecret] }, endpoint, options.tokens, options.now);
  return { auth: tokens, base, route, secrets: [clientSecret], tokens };
}

// The cloud id from the settings, or asked of the site once (`/_edge/tenant_info` needs no sign-in); a
// failed look-up is asked again on the next call rather than remembered.
function gatewayBase(config: JiraConfig, http: RemoteHttp): () => Promise<string> {
  const at = (cloudId: string) => `${config.gatewayUrl}/ex/jira/${encodeURIComponent(cloudId)}/rest/api/3`;
  if (config.cloudId) {
    const known = at(config.cloudId);
    return async () => known;
  }
  const site = new JsonClient({ ...http, headers: { accept: 'application/json' }, secrets: [] });
  let found: Promise<string> | undefined;
  return () => {
    found ??= site.send({ method: 'GET', url: `${config.baseUrl}/_edge/tenant_info` }, tenantInfo).then(
      (info) => at(info.cloudId),
      (err: unknown) => {
        found = undefined;
        const why = err instanceof Error ? err.message : String(err);
        throw new TicketError({
          code: err instanceof TicketError && err.retryable ? err.code : 'CONFIGURATION',
          retryable: err instanceof TicketError && err.retryable,
          message: `the site's cloud id could not be found at ${config.baseUrl}/_edge/tenant_info (${why}); set cloudId`,
          cause: err,
        });
      },
    );
    return found;
  };
}
