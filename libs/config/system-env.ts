import { z } from 'zod';
import type { SettingsProfile } from '@rhx/domain';
import { bool, expiryDate, httpUrl, jsonSetting, optionalText, requestsPerSecond, snowInstance } from './env-values.js';

/** How the bridge signs in to Jira (CONTRACT §2 `JIRA_AUTH`): Basic or a PAT, Atlassian OAuth 2.0, a service account's scoped token. */
export const JIRA_AUTH_METHODS = ['basic', 'oauth2-client-credentials', 'service-account-token'] as const;
/** How the bridge signs in to ServiceNow (`SNOW_AUTH`). */
export const SNOW_AUTH_METHODS = ['basic', 'oauth2-client-credentials', 'oauth2-password'] as const;

/**
 * A settings profile's part of the environment (CONTRACT §2): its variables, which of them enables it,
 * which seed which setting, and which hold secrets. The system's descriptor
 * (`libs/adapters/<profile>/<profile>.system.ts`) points at it; nothing else names these variables.
 */
export interface SystemEnv<Shape extends z.ZodRawShape = z.ZodRawShape> {
  shape: Shape;
  /** The variable that enables the profile's target system (`SNOW_ENABLED` serves both ServiceNow profiles). */
  enabled: string & keyof Shape | 'SNOW_ENABLED';
  /** Setting → the variable that seeds it. */
  seeds: Readonly<Record<string, string & keyof Shape>>;
  /** Variables whose values are secrets: never logged, never returned. */
  secrets: readonly (string & keyof Shape)[];
  /** The operator's own base URL of the remote: trusted, never host-checked. */
  trustedUrl: string & keyof Shape;
  /** The fleet-wide cap on requests per second to the target system, if it has one of its own. */
  maxRequestsPerSecond?: string & keyof Shape;
  /** Its TLS material: a private CA bundle and a client certificate (PEM files), and the key's passphrase. */
  tls: { ca: string & keyof Shape; cert: string & keyof Shape; key: string & keyof Shape; passphrase: string & keyof Shape };
  /** Variables needed when the profile is in use, each with why (`env` is the raw environment). */
  required(env: Readonly<Record<string, string | undefined>>): { keys: string[]; why: string }[];
}

/** The four TLS variables of a profile (`<P>_CA_FILE`, `<P>_CLIENT_CERT_FILE`, `<P>_CLIENT_KEY_FILE`, `<P>_CLIENT_KEY_PASSPHRASE`). */
const tlsShape = <P extends string>(p: P) => ({
  [`${p}_CA_FILE`]: optionalText,
  [`${p}_CLIENT_CERT_FILE`]: optionalText,
  [`${p}_CLIENT_KEY_FILE`]: optionalText,
  [`${p}_CLIENT_KEY_PASSPHRASE`]: optionalText,
}) as Record<`${P}_CA_FILE` | `${P}_CLIENT_CERT_FILE` | `${P}_CLIENT_KEY_FILE` | `${P}_CLIENT_KEY_PASSPHRASE`, typeof optionalText>;
const tlsNames = <P extends string>(p: P) => ({ ca: `${p}_CA_FILE`, cert: `${p}_CLIENT_CERT_FILE`, key: `${p}_CLIENT_KEY_FILE`, passphrase: `${p}_CLIENT_KEY_PASSPHRASE` }) as const;

const on = (env: Readonly<Record<string, string | undefined>>, key: string) => env[key] === 'true' || env[key] === '1';
const proactive = (env: Readonly<Record<string, string | undefined>>) => env.TICKET_INTEGRATION === 'proactive';

const JIRA = {
  shape: {
    JIRA_URL: httpUrl.optional(),
    JIRA_EMAIL: optionalText,
    JIRA_API_TOKEN: optionalText,
    JIRA_PROJECT_KEY: z.string().regex(/^[A-Z][A-Z0-9_]{0,9}$/, 'must be a Jira project key such as SEC').optional(),
    JIRA_ISSUE_TYPE: z.string().min(1).default('Task'),
    JIRA_DEPLOYMENT: z.enum(['cloud', 'server']).default('cloud'),
    JIRA_AUTH: z.enum(JIRA_AUTH_METHODS).default('basic'),
    JIRA_OAUTH_CLIENT_ID: optionalText,
    JIRA_OAUTH_CLIENT_SECRET: optionalText,
    JIRA_CLOUD_ID: optionalText,
    JIRA_OAUTH_TOKEN_URL: httpUrl.optional(),
    JIRA_API_GATEWAY_URL: httpUrl.optional(),
    JIRA_API_TOKEN_EXPIRES: expiryDate,
    JIRA_ENABLED: bool(false),
    JIRA_MAX_REQUESTS_PER_SECOND: requestsPerSecond,
    JIRA_FIELDS: jsonSetting('a JSON array of field rules, such as [{"field":"customfield_10050","value":"{{severity}}"}]'),
    JIRA_LIFECYCLE: jsonSetting('a JSON object such as {"resolve":true,"reopen":true}'),
    ...tlsShape('JIRA'),
  },
  enabled: 'JIRA_ENABLED',
  seeds: {
    baseUrl: 'JIRA_URL', deployment: 'JIRA_DEPLOYMENT', email: 'JIRA_EMAIL', projectKey: 'JIRA_PROJECT_KEY', issueType: 'JIRA_ISSUE_TYPE', apiToken: 'JIRA_API_TOKEN',
    fields: 'JIRA_FIELDS', lifecycle: 'JIRA_LIFECYCLE', auth: 'JIRA_AUTH', clientId: 'JIRA_OAUTH_CLIENT_ID', clientSecret: 'JIRA_OAUTH_CLIENT_SECRET',
    cloudId: 'JIRA_CLOUD_ID', tokenUrl: 'JIRA_OAUTH_TOKEN_URL', gatewayUrl: 'JIRA_API_GATEWAY_URL', apiTokenExpires: 'JIRA_API_TOKEN_EXPIRES',
  },
  secrets: ['JIRA_API_TOKEN', 'JIRA_OAUTH_CLIENT_SECRET', 'JIRA_CLIENT_KEY_PASSPHRASE'],
  tls: tlsNames('JIRA'),
  trustedUrl: 'JIRA_URL',
  maxRequestsPerSecond: 'JIRA_MAX_REQUESTS_PER_SECOND',
  required: (env) => {
    const jira = on(env, 'JIRA_ENABLED');
    const oauth = env.JIRA_AUTH === 'oauth2-client-credentials';
    return [
      { keys: jira ? ['JIRA_URL', 'JIRA_PROJECT_KEY'] : [], why: 'when JIRA_ENABLED=true' },
      { keys: jira && !oauth ? ['JIRA_API_TOKEN'] : [], why: `with JIRA_AUTH=${env.JIRA_AUTH ?? 'basic'}` },
      { keys: jira && oauth ? ['JIRA_OAUTH_CLIENT_ID', 'JIRA_OAUTH_CLIENT_SECRET'] : [], why: 'with JIRA_AUTH=oauth2-client-credentials' },
      { keys: jira && !oauth && env.JIRA_DEPLOYMENT !== 'server' ? ['JIRA_EMAIL'] : [], why: 'for Jira Cloud (JIRA_DEPLOYMENT=cloud)' },
    ];
  },
} as const satisfies SystemEnv;

const SERVICENOW = {
  shape: {
    SNOW_INSTANCE: snowInstance.optional(),
    SNOW_USERNAME: optionalText,
    SNOW_PASSWORD: optionalText,
    SNOW_ASSIGNMENT_GROUP: optionalText,
    SNOW_AUTH: z.enum(SNOW_AUTH_METHODS).default('basic'),
    SNOW_OAUTH_CLIENT_ID: optionalText,
    SNOW_OAUTH_CLIENT_SECRET: optionalText,
    SNOW_ENABLED: bool(false),
    SNOW_MAX_REQUESTS_PER_SECOND: requestsPerSecond,
    SNOW_FIELDS: jsonSetting('a JSON array of field rules, such as [{"field":"category","value":"security"}]'),
    SNOW_LIFECYCLE: jsonSetting('a JSON object such as {"resolve":true,"closeCode":"Solution provided","reopen":true}'),
    ...tlsShape('SNOW'),
  },
  enabled: 'SNOW_ENABLED',
  seeds: {
    instanceUrl: 'SNOW_INSTANCE', username: 'SNOW_USERNAME', assignmentGroup: 'SNOW_ASSIGNMENT_GROUP', password: 'SNOW_PASSWORD',
    fields: 'SNOW_FIELDS', lifecycle: 'SNOW_LIFECYCLE', auth: 'SNOW_AUTH', clientId: 'SNOW_OAUTH_CLIENT_ID', clientSecret: 'SNOW_OAUTH_CLIENT_SECRET',
  },
  secrets: ['SNOW_PASSWORD', 'SNOW_OAUTH_CLIENT_SECRET', 'SNOW_CLIENT_KEY_PASSPHRASE'],
  tls: tlsNames('SNOW'),
  trustedUrl: 'SNOW_INSTANCE',
  maxRequestsPerSecond: 'SNOW_MAX_REQUESTS_PER_SECOND',
  required: (env) => {
    const snow = on(env, 'SNOW_ENABLED') && !proactive(env);
    const auth = env.SNOW_AUTH ?? 'basic';
    return [
      { keys: snow ? ['SNOW_INSTANCE'] : [], why: 'when SNOW_ENABLED=true' },
      { keys: snow && auth !== 'oauth2-client-credentials' ? ['SNOW_USERNAME', 'SNOW_PASSWORD'] : [], why: `with SNOW_AUTH=${auth}` },
      { keys: snow && auth !== 'basic' ? ['SNOW_OAUTH_CLIENT_ID', 'SNOW_OAUTH_CLIENT_SECRET'] : [], why: `with SNOW_AUTH=${auth}` },
    ];
  },
} as const satisfies SystemEnv;

// The Proactive Case API serves the `servicenow` target: `SNOW_ENABLED` enables it, and the target's
// request cap (`SNOW_MAX_REQUESTS_PER_SECOND`) applies to it.
const PROACTIVE = {
  shape: {
    PROACTIVE_SNOW_BASE_URL: httpUrl.optional(),
    PROACTIVE_SNOW_APP_ID: optionalText,
    PROACTIVE_SNOW_SECRET: optionalText,
    PROACTIVE_SNOW_TABLE: z.string().min(1).default('Case'),
    PROACTIVE_SNOW_SOURCE: z.string().min(1).default('Managed_services'),
    PROACTIVE_SNOW_SERVICE_IDENTIFIER: optionalText,
    PROACTIVE_SNOW_VERIFY_SSL: bool(true),
    PROACTIVE_SNOW_LIFECYCLE: jsonSetting('a JSON object such as {"resolve":true,"reopen":true}'),
    ...tlsShape('PROACTIVE_SNOW'),
  },
  enabled: 'SNOW_ENABLED',
  seeds: {
    baseUrl: 'PROACTIVE_SNOW_BASE_URL',
    appId: 'PROACTIVE_SNOW_APP_ID',
    table: 'PROACTIVE_SNOW_TABLE',
    source: 'PROACTIVE_SNOW_SOURCE',
    serviceIdentifier: 'PROACTIVE_SNOW_SERVICE_IDENTIFIER',
    secret: 'PROACTIVE_SNOW_SECRET',
    lifecycle: 'PROACTIVE_SNOW_LIFECYCLE',
  },
  secrets: ['PROACTIVE_SNOW_SECRET', 'PROACTIVE_SNOW_CLIENT_KEY_PASSPHRASE'],
  tls: tlsNames('PROACTIVE_SNOW'),
  trustedUrl: 'PROACTIVE_SNOW_BASE_URL',
  required: (env) => [
    {
      keys: proactive(env) ? ['PROACTIVE_SNOW_BASE_URL', 'PROACTIVE_SNOW_APP_ID', 'PROACTIVE_SNOW_SECRET', 'PROACTIVE_SNOW_SERVICE_IDENTIFIER'] : [],
      why: 'when TICKET_INTEGRATION=proactive',
    },
  ],
} as const satisfies SystemEnv;

/** Each settings profile's variables. A new profile without an entry here is a compile error. */
export const SYSTEM_ENV = { jira: JIRA, servicenow: SERVICENOW, proactive: PROACTIVE } as const satisfies Record<SettingsProfile, SystemEnv>;

type Intersection<U> = (U extends unknown ? (x: U) => void : never) extends (x: infer I) => void ? I : never;

/** Every profile's variables, as one shape for the environment schema. */
export const SYSTEM_ENV_SHAPE = Object.assign({}, ...Object.values(SYSTEM_ENV).map((e) => e.shape)) as Intersection<
  (typeof SYSTEM_ENV)[SettingsProfile]['shape']
>;

/** Every profile's secret variables. */
export const SYSTEM_SECRET_VARIABLES = Object.values(SYSTEM_ENV).flatMap((e) => e.secrets);
