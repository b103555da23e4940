export { SecretBox } from './secret-box.js';
export { RedisTokenCache } from './token-cache.js';
export { autoPushSettingsSchema, readAutoPush, seedAutoPush, writeAutoPush, type AutoPushSettings } from './auto-push.settings.js';
export {
  IntegrationSettingsStore,
  SYSTEM_FIELDS,
  isConfigured,
  settingsFromEnv,
  type IntegrationStatus,
  type SettingsCheck,
  type SettingsValues,
  type StoredSettings,
} from './integration-settings.js';
export { identityChangeProblems } from './identity-change.js';
export { settingsProfile, profilesServing, type SettingsProfile, type TicketIntegration } from './system-fields.js';
export { decideAutoPush, type AutoPushDecision } from './auto-push.decision.js';
export { SettingsUnreadableError } from './settings-unreadable.error.js';
export { IntegrationHealth } from './integration-health.js';
export { INTEGRATION_BODY_SCHEMAS, SETTING_TEXT, parseIntegrationBody } from './integration-body.schema.js';
export { credentialWarnings, EXPIRY_WARNING_DAYS } from './credential-expiry.js';
