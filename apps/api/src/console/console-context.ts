import type { DeliveryRepository, IntegrationAdmin } from '@rhx/push';
import type { ApiDeps } from '../deps.js';
import type { ConsoleSessions, SignInThrottle } from './console-session.js';
import type { OperatorAccount } from './operator-auth.js';

export const CONSOLE_PATH = '/console';
export const SESSION_COOKIE = 'rhx_console';

/** What every console page uses: the API's own services, and the console's sessions. */
export interface ConsoleContext {
  deps: ApiDeps;
  admin: IntegrationAdmin;
  deliveries: DeliveryRepository;
  accounts: OperatorAccount[];
  sessionKey: Buffer;
  sessions: ConsoleSessions;
  throttle: SignInThrottle;
  signInDelayMs: number;
  bullBoardMounted: boolean;
}
