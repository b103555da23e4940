export { envSchema, SECRET_VARIABLES, type Config } from './env.schema.js';
export { ConfigError, loadConfig, parseConfig } from './load-config.js';
