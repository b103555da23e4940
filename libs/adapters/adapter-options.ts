/** What every adapter needs besides its system's own settings; from the process config. */
export interface AdapterOptions {
  /** Whole-request limit for one HTTP call (`HTTP_TIMEOUT_MS`). */
  httpTimeoutMs: number;
  /** RhythmX base URL for deep links in rendered tickets (`RHYTHMX_BASE_URL`). */
  deepLinkBaseUrl?: string;
  /** Clock for `Retry-After` dates; tests may fix it. */
  now?: () => number;
}
