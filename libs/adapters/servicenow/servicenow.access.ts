import type { AdapterOptions } from '../adapter-options.js';
import type { RemoteHttp } from '../remote-http.js';
import { basicCredentials, JsonClient, OAuthTokens, staticAuth, tokenEndpointError, type RequestAuth } from '../http/index.js';
import type { ServiceNowConfig } from './servicenow.config.js';

/** How the adapter signs in to the instance, and what to keep out of messages. */
export interface ServiceNowAccess {
  auth: RequestAuth;
  secrets: string[];
  /** OAuth only: fetches a token now, so Test Connection can say whether the token endpoint answered. */
  tokens?: OAuthTokens;
}

const METHODS = { 'oauth2-client-credentials': 'OAuth 2.0 client credentials', 'oauth2-password': 'OAuth 2.0 password grant' } as const;

/**
 * CONTRACT §2 `SNOW_AUTH`: Basic as the integration user, or a Bearer token from the instance's own
 * `oauth_token.do` (client credentials, or the password grant on instances without it), form-encoded.
 */
export function serviceNowAccess(config: ServiceNowConfig, options: AdapterOptions, http: RemoteHttp): ServiceNowAccess {
  if (config.auth === 'basic') {
    const basic = basicCredentials(config.username!, config.password!);
    return { auth: staticAuth('Basic auth', `Basic ${basic}`), secrets: [config.password!, basic] };
  }
  const method = METHODS[config.auth];
  const secrets = [config.clientSecret!, ...(config.auth === 'oauth2-password' ? [config.password!] : [])];
  const params: Record<string, string> = { grant_type: config.auth === 'oauth2-password' ? 'password' : 'client_credentials', client_id: config.clientId!, client_secret: config.clientSecret! };
  if (config.auth === 'oauth2-password') Object.assign(params, { username: config.username!, password: config.password! });
  const endpoint = new JsonClient({ ...http, system: 'ServiceNow', headers: { accept: 'application/json' }, secrets, classify: tokenEndpointError(method) });
  const tokens = new OAuthTokens({ method, tokenUrl: `${config.instanceUrl}/oauth_token.do`, encoding: 'form', params, secrets }, endpoint, options.tokens, options.now);
  return { auth: tokens, secrets, tokens };
}
