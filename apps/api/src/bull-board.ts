import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import type { FastifyInstance } from 'fastify';
import type { Queues } from '@rhx/queue';
import { basicAuth } from './auth.js';
import type { OperatorAccount } from './console/operator-auth.js';
import type { SignInThrottle } from './sign-in-throttle.js';

export const BULL_BOARD_PATH = '/admin/queues';

/**
 * Mounts Bull Board behind HTTP Basic, in its own encapsulated context so the guard covers only it; its
 * failed sign-ins are counted with the console's.
 */
export async function mountBullBoard(app: FastifyInstance, queues: Queues, account: OperatorAccount, signIns: SignInThrottle): Promise<void> {
  const serverAdapter = new FastifyAdapter();
  serverAdapter.setBasePath(BULL_BOARD_PATH);
  createBullBoard({ queues: queues.all().map((q) => new BullMQAdapter(q)), serverAdapter });
  await app.register(async (scope) => {
    scope.addHook('onRequest', basicAuth(account, signIns));
    await scope.register(serverAdapter.registerPlugin(), { prefix: BULL_BOARD_PATH });
  });
}
