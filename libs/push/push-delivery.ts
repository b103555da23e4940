import type { JobPayload } from '@rhx/queue';
import { createStep } from './create.step.js';
import { runDelivery, type PushOutcome } from './delivery-run.js';
import type { PushDeps } from './push-deps.js';
import { resolveStep } from './resolve.step.js';
import { updateStep } from './update.step.js';

// The step of each kind the run skeleton runs.
const STEPS = { create: createStep, update: updateStep, resolve: resolveStep };

/** Runs one delivery (a ticket-push or ticket-retry job): the run skeleton with the step of its kind. */
export function pushDelivery(deps: PushDeps, payload: JobPayload<'ticket-push'>): Promise<PushOutcome> {
  return runDelivery(deps, payload, STEPS);
}
