import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Queues } from '@rhx/queue';
import { basicAuth } from './auth.js';
import type { OperatorAccount } from './console/operator-auth.js';
import type { SignInThrottle } from './sign-in-throttle.js';

export const BULL_BOARD_PATH = '/admin/queues';

/** Bull Board's own pages cannot be framed (clickjacking); the console's CSP does the same for it. */
const NOT_FRAMABLE = { 'x-frame-options': 'DENY', 'content-security-policy': "frame-ancestors 'none'" };

/**
 * Mounts Bull Board in its own encapsulated context. A signed-in console operator goes straight in (the
 * console's session cookie covers this path; signing out of the console ends it here too); scripts keep
 * HTTP Basic, whose failed sign-ins are counted with the console's.
 */
export async function mountBullBoard(
  app: FastifyInstance, queues: Queues, account: OperatorAccount, signIns: SignInThrottle, console?: { signedInUser(request: FastifyRequest): Promise<string | undefined> },
): Promise<void> {
  const serverAdapter = new FastifyAdapter();
  serverAdapter.setBasePath(BULL_BOARD_PATH);
  createBullBoard({
    queues: queues.all().map((q) => new BullMQAdapter(q)),
    serverAdapter,
    options: { uiConfig: { boardTitle: 'RhythmX queues', miscLinks: [{ text: 'Back to the console', url: '/console/incidents' }] } },
  });
  const basic = basicAuth(account, signIns);
  await app.register(async (scope) => {
    scope.addHook('onRequest', async (request, reply) => {
      const user = await console?.signedInUser(request);
      if (user !== undefined) {
        request.operator = { kind: 'console', name: user };
        return;
      }
      await basic(request, reply);
    });
    scope.addHook('onSend', async (_request, reply) => {
      void reply.headers(NOT_FRAMABLE);
    });
    await scope.register(serverAdapter.registerPlugin(), { prefix: BULL_BOARD_PATH });
  });
}
