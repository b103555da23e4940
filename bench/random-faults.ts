// Transient failures at a random rate, for the bench's simulator process only. The simulators' own
// `faults` switches fail the next n requests; "20% at random" is a bench concern, kept out of libs/testing.
import type { SimulatedFault, SimulatorFaults } from '@rhx/testing';

/** How many failures were injected, by kind. */
export interface InjectedFailures {
  /** 503 before anything was created: the client knows nothing was made. */
  unavailable: number;
  /** The record was created, then a 500 answered: the client cannot tell, so the next attempt must adopt it. */
  lostAnswers: number;
}

const UNAVAILABLE: SimulatedFault = { status: 503, body: { error: 'bench: transient failure' } };

/** A ticket create on either simulator: Jira `POST …/issue`, ServiceNow `POST …/table/incident`. */
export const isCreate = (method: string, path: string) => method === 'POST' && (path.endsWith('/issue') || path.endsWith('/table/incident'));

/**
 * Makes a share `rate` of the creates `faults` sees fail, each drawn independently (a retry meets the
 * same odds as a first try); half of them answer 503 before creating, half create and then answer 500,
 * so both paths of the retry are exercised and a duplicate ticket would show. Faults queued with
 * `faults.next` still come first.
 */
export function failCreatesAtRandom(faults: SimulatorFaults, rate: number, counts: InjectedFailures): void {
  if (rate <= 0) return;
  const planned = faults.take.bind(faults);
  faults.take = (method, path) => {
    const fault = planned(method, path);
    if (fault || !isCreate(method, path) || Math.random() >= rate) return fault;
    if (Math.random() < 0.5) {
      counts.unavailable += 1;
      return UNAVAILABLE;
    }
    counts.lostAnswers += 1;
    // Applies to the next create that succeeds on this simulator: this one, unless another overtakes it.
    faults.createThenFail('status500');
    return undefined;
  };
}
