import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import type { FastifyInstance } from 'fastify';
import type { Queues } from '@rhx/queue';
import { basicAuth } from './auth.js';

export const BULL_BOARD_PATH = '/admin/queues';

/** Mounts Bull Board behind HTTP Basic, in its own encapsulated context so the guard covers only it. */
export async function mountBullBoard(app: FastifyInstance, queues: Queues, user: string, password: string): Promise<void> {
  const serverAdapter = new FastifyAdapter();
  serverAdapter.setBasePath(BULL_BOARD_PATH);
  createBullBoard({ queues: queues.all().map((q) => new BullMQAdapter(q)), serverAdapter });
  await app.register(async (scope) => {
    scope.addHook('onRequest', basicAuth(user, password));
    await scope.register(serverAdapter.registerPlugin(), { prefix: BULL_BOARD_PATH });
  });
}
