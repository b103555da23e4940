/**
 * Who did an operator action (issue 18): a `/v1` call is made by an API token, named by `API_TOKENS`
 * (`API_TOKEN` alone is named `api`); a console action by the signed-in console user.
 */
export const OPERATOR_KINDS = ['api', 'console'] as const;
export type OperatorKind = (typeof OPERATOR_KINDS)[number];

export interface Operator {
  kind: OperatorKind;
  name: string;
}

/** The name `API_TOKEN`'s calls are recorded under (it has none of its own). */
export const UNNAMED_API_TOKEN = 'api';

/** How an operator reads in a sentence: "alice (console)", "siem-bot (API token)". */
export function describeOperator(operator: Operator): string {
  return `${operator.name} (${operator.kind === 'api' ? 'API token' : 'console'})`;
}
