/**
 * Stored integration settings that cannot be used as they are: no key to open their secrets, a key
 * that does not open them (changed or wrong `SETTINGS_ENCRYPTION_KEY`), or a row that is not what
 * this version writes. Waiting does not mend it; an operator must, so a push records it and stops.
 * The message names the system and the cause, never a value.
 */
export class SettingsUnreadableError extends Error {
  constructor(
    readonly system: string,
    reason: string,
  ) {
    super(`stored ${system} settings cannot be read: ${reason}; set them again with PUT /v1/integrations/${system}`);
    this.name = 'SettingsUnreadableError';
  }
}
