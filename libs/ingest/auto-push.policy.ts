import type { PrismaClient } from '@rhx/db';
import type { Severity } from '@rhx/domain';
import {
  decideAutoPush,
  readAutoPush,
  type AutoPushDecision,
  type AutoPushSettings,
  type IntegrationSettingsStore,
  type IntegrationStatus,
} from '@rhx/settings';

/**
 * The auto-push settings and integration statuses of the moment, read at most once per `ttlMs` so that
 * ingesting thousands of incidents a second does not read them thousands of times. A settings change
 * therefore applies to incidents ingested from `ttlMs` later on.
 */
export class AutoPushPolicy {
  private cached: { at: number; value: Promise<[AutoPushSettings, IntegrationStatus[]]> } | undefined;

  constructor(
    private readonly prisma: PrismaClient,
    private readonly integrations: IntegrationSettingsStore,
    private readonly ttlMs = 1000,
  ) {}

  async decide(severity: Severity): Promise<AutoPushDecision> {
    const now = Date.now();
    if (!this.cached || now - this.cached.at > this.ttlMs) {
      const value = Promise.all([readAutoPush(this.prisma), this.integrations.statuses()]);
      this.cached = { at: now, value };
      value.catch(() => (this.cached = undefined));
    }
    const [settings, statuses] = await this.cached.value;
    return decideAutoPush(severity, settings, statuses);
  }
}
