import { describe, expect, test } from '@jest/globals';
import type { TargetSystem } from '@rhx/domain';
import type { StoredSettings } from '@rhx/settings';
import { AdapterProvider, type SettingsSource } from './adapter-provider.js';

const jira = (apiToken: string): StoredSettings => ({
  enabled: true,
  configured: true,
  values: { deployment: 'cloud', baseUrl: 'https://acme.atlassian.net', email: 'bot@acme.test', apiToken, projectKey: 'SEC' },
});

/** Settings as a database holds them: `write` is this process's store, `otherProcessWrites` another's. */
class FakeSettings implements SettingsSource {
  reads = 0;
  private revisions = 0;
  private gate: Promise<void> | undefined;
  constructor(public row: StoredSettings) {}
  async read(_system: TargetSystem) {
    this.reads += 1;
    const row = this.row;
    await this.gate;
    return row;
  }
  revision() {
    return this.revisions;
  }
  write(row: StoredSettings) {
    this.row = row;
    this.revisions += 1;
  }
  otherProcessWrites(row: StoredSettings) {
    this.row = row;
  }
  /** Holds every read started from now until the returned release is called. */
  hold(): () => void {
    let release = () => {};
    this.gate = new Promise<void>((resolve) => (release = resolve));
    return () => {
      this.gate = undefined;
      release();
    };
  }
}

async function adapterOf(provider: AdapterProvider) {
  const target = await provider.forSystem('jira');
  if (!target.ready) throw new Error(target.message);
  return target.adapter;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('AdapterProvider', () => {
  test('a change written by this process applies to the very next call', async () => {
    const settings = new FakeSettings(jira('old-token'));
    const provider = new AdapterProvider(settings, { httpTimeoutMs: 1000 }, 60_000);
    const first = await adapterOf(provider);
    settings.write(jira('new-token'));
    const second = await adapterOf(provider);
    expect(second).not.toBe(first);
    expect(await adapterOf(provider)).toBe(second);
  });

  test('one adapter is kept while the settings are unchanged, across re-reads', async () => {
    const settings = new FakeSettings(jira('token'));
    const provider = new AdapterProvider(settings, { httpTimeoutMs: 1000 }, 20);
    const first = await adapterOf(provider);
    await sleep(40);
    expect(await adapterOf(provider)).toBe(first);
    expect(settings.reads).toBe(2);
    settings.write(jira('token'));
    expect(await adapterOf(provider)).toBe(first);
  });

  test('another process’s change applies within the re-read interval', async () => {
    const settings = new FakeSettings(jira('old-token'));
    const provider = new AdapterProvider(settings, { httpTimeoutMs: 1000 }, 100);
    const first = await adapterOf(provider);
    settings.otherProcessWrites(jira('new-token'));
    expect(await adapterOf(provider)).toBe(first);
    await sleep(130);
    expect(await adapterOf(provider)).not.toBe(first);
  });

  test('a read that raced a local write is not kept: the next call reads again', async () => {
    const settings = new FakeSettings(jira('old-token'));
    const provider = new AdapterProvider(settings, { httpTimeoutMs: 1000 }, 60_000);
    const release = settings.hold();
    const racing = provider.forSystem('jira');
    settings.write(jira('new-token'));
    release();
    await racing;
    const after = await adapterOf(provider);
    expect(settings.reads).toBe(2);
    settings.write(jira('new-token'));
    expect(await adapterOf(provider)).toBe(after);
  });

  test('concurrent callers share one read and one adapter', async () => {
    const settings = new FakeSettings(jira('token'));
    const provider = new AdapterProvider(settings, { httpTimeoutMs: 1000 }, 60_000);
    const adapters = await Promise.all(Array.from({ length: 5 }, () => adapterOf(provider)));
    expect(new Set(adapters).size).toBe(1);
    expect(settings.reads).toBe(1);
  });
});
