import type { TargetSystem } from '@rhx/domain';

/**
 * What each target system's settings hold, split into what may be shown and what is write-only;
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
} as const satisfies Record<
  TargetSystem,
  { visible: readonly string[]; secret: readonly string[]; required: readonly string[]; identity: readonly string[] }
>;

export type SettingsValues = Record<string, string | undefined>;
