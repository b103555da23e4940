import type { TargetSystem } from '@rhx/domain';

/** `TICKET_INTEGRATION`: which API serves the `servicenow` target. */
export type TicketIntegration = 'standard' | 'proactive';

/**
 * A set of settings, stored in its own `integration_settings` row: one per target system, plus
 * `proactive`, the Proactive Case API's, which serves the `servicenow` target when
 * `TICKET_INTEGRATION=proactive`. Keeping it apart means switching the mode never mixes Table API
 * fields with proactive ones; the API still calls both `servicenow`. Persisted: never rename one.
 */
export type SettingsProfile = TargetSystem | 'proactive';

/** The profile whose row holds `system`'s settings in this mode. */
export function settingsProfile(system: TargetSystem, mode: TicketIntegration): SettingsProfile {
  return system === 'servicenow' && mode === 'proactive' ? 'proactive' : system;
}

/** Every profile that can serve `system`, whatever the mode. */
export function profilesServing(system: TargetSystem): SettingsProfile[] {
  return system === 'servicenow' ? ['servicenow', 'proactive'] : [system];
}

/**
 * What each profile's settings hold, split into what may be shown and what is write-only;
 * `identity` says where and as whom the secret is used (changing it needs the secret again).
 * The adapters' own config schemas validate the merged result before use.
 */
export const SYSTEM_FIELDS = {
  jira: {
    visible: ['baseUrl', 'deployment', 'email', 'projectKey', 'issueType'],
    secret: ['apiToken'],
    required: ['baseUrl', 'projectKey', 'apiToken'],
    identity: ['baseUrl', 'email'],
  },
  servicenow: {
    visible: ['instanceUrl', 'username', 'assignmentGroup'],
    secret: ['password'],
    required: ['instanceUrl', 'username', 'password'],
    identity: ['instanceUrl', 'username'],
  },
  proactive: {
    visible: ['baseUrl', 'appId', 'table', 'source', 'serviceIdentifier'],
    secret: ['secret'],
    required: ['baseUrl', 'appId', 'secret', 'serviceIdentifier'],
    identity: ['baseUrl', 'appId'],
  },
} as const satisfies Record<
  SettingsProfile,
  { visible: readonly string[]; secret: readonly string[]; required: readonly string[]; identity: readonly string[] }
>;

export type SettingsValues = Record<string, string | undefined>;
