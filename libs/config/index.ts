export { envSchema, SECRET_VARIABLES, type Config } from './env.schema.js';
export { ConfigError, envFilePath, loadConfig, parseConfig } from './load-config.js';
export { parseAllowedHosts, type AllowedHosts } from './allowed-hosts.js';
export { decodeStrictBase64 } from './strict-base64.js';
export { type TrustProxy } from './trust-proxy.js';
export { SYSTEM_ENV, JIRA_AUTH_METHODS, SNOW_AUTH_METHODS, type SystemEnv } from './system-env.js';
export { appPath, appRoot, runsBuiltCode } from './app-root.js';
export { expiryDate } from './env-values.js';
