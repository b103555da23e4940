export { envSchema, SECRET_VARIABLES, type Config } from './env.schema.js';
export { ConfigError, envFilePath, loadConfig, parseConfig } from './load-config.js';
