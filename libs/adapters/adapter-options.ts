import type { TargetSystem, TicketIntegration } from '@rhx/domain';
import type { HostPolicy } from './http/host-policy.js';
import type { CallThrottle } from './http/call-throttle.js';
import type { ProxySettings, TlsMaterial } from './http/egress.js';
import type { TokenCache } from './http/oauth.js';

/** What every adapter needs besides its system's own settings; from the process config. */
export interface AdapterOptions {
  /** Whole-request limit for one HTTP call (`HTTP_TIMEOUT_MS`). */
  httpTimeoutMs: number;
  /** RhythmX base URL for deep links in rendered tickets (`RHYTHMX_BASE_URL`). */
  deepLinkBaseUrl?: string;
  /**
   * Hosts an adapter may connect to (`INTEGRATION_ALLOWED_HOSTS`), checked on the address actually
   * connected to. Absent means no check (the adapters' own tests against loopback simulators).
   */
  hostPolicy?: HostPolicy;
  /** The operator's base URLs from the environment (`JIRA_URL`, `SNOW_INSTANCE`, or `PROACTIVE_SNOW_BASE_URL` in proactive mode): trusted, never host-checked. */
  trustedBaseUrls?: Partial<Record<TargetSystem, string>>;
  /**
   * Fleet-wide pacing per target system (`@rhx/throttle`): every request waits for its clearance, and
   * a `429` with `Retry-After` pauses that system for every process. Absent means unpaced.
   */
  throttle?: CallThrottle;
  /**
   * Which API serves the `servicenow` target (`TICKET_INTEGRATION`): the Table API (`standard`, the
   * default when absent) or the Proactive Case API (`proactive`). Jira is the same either way.
   */
  ticketIntegration?: TicketIntegration;
  /**
   * Verify the Proactive Case API's TLS certificate (`PROACTIVE_SNOW_VERIFY_SSL`); absent means true.
   * Only the Proactive adapter reads it: Jira and the Table API always verify.
   */
  proactiveVerifyTls?: boolean;
  /** The egress proxy (`HTTPS_PROXY`, `HTTP_PROXY`, `NO_PROXY`); absent: every call goes directly. */
  proxy?: ProxySettings;
  /** Each target system's private CA and client certificate (PEM text), from its profile's `<P>_CA_FILE`… */
  tls?: Partial<Record<TargetSystem, TlsMaterial>>;
  /** OAuth access tokens shared by the fleet (Redis, sealed); absent: each adapter keeps its own. */
  tokens?: TokenCache;
  /** Clock for `Retry-After` dates; tests may fix it. */
  now?: () => number;
}
