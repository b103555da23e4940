import type { DeliveryRepository, IntegrationAdmin } from '@rhx/push';
import type { ApiDeps } from '../deps.js';
import type { SignInThrottle } from '../sign-in-throttle.js';
import type { ConsoleSessions } from './console-session.js';
import type { OperatorAccount } from './operator-auth.js';

export const CONSOLE_PATH = '/console';
// Path `/` (Bull Board takes the session too). Named anew when its path widened from /console: a cookie of
// the older name is simply ignored, where one of the same name would be sent first and shadow the new one.
export const SESSION_COOKIE = 'rhx_session';

/** What every console page uses: the API's own services, and the console's sessions. */
export interface ConsoleContext {
  deps: ApiDeps;
  admin: IntegrationAdmin;
  deliveries: DeliveryRepository;
  accounts: OperatorAccount[];
  sessionKey: Buffer;
  sessions: ConsoleSessions;
  /** Failed sign-ins, counted with Bull Board's. */
  signIns: SignInThrottle;
  bullBoardMounted: boolean;
}
