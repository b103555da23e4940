import type { JobPayload } from '@rhx/queue';
import { createStep } from './create.step.js';
import { runDelivery, type PushOutcome } from './delivery-run.js';
import type { PushDeps } from './push-deps.js';
import { updateStep } from './update.step.js';

// The step of each kind the run skeleton runs. `resolve` (issue 14's ticket lifecycle) has none yet: a
// delivery of it fails visibly instead of running half a step.
const STEPS = { create: createStep, update: updateStep };

/** Runs one delivery (a ticket-push or ticket-retry job): the run skeleton with the step of its kind. */
export function pushDelivery(deps: PushDeps, payload: JobPayload<'ticket-push'>): Promise<PushOutcome> {
  return runDelivery(deps, payload, STEPS);
}
