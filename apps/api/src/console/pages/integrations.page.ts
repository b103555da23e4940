import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { SYSTEMS } from '@rhx/adapters';
import { InvalidInputError, TARGET_SYSTEMS, targetSystemSchema, type FieldProblem, type TargetSystem } from '@rhx/domain';
import { EncryptionKeyMissingError, type ConnectionTestResult } from '@rhx/push';
import { CONSOLE_PATH, type ConsoleContext } from '../console-context.js';
import { field } from '../form.js';
import { renderPage } from '../render.js';
import { flash } from '../session-request.js';
import { operatorOf } from '../../auth.js';

type SystemReq = { Params: { system: string } };

/** What the page shows of one system beyond its description: a test just run, a refused change. */
interface Outcome {
  system: TargetSystem;
  test?: ConnectionTestResult;
  problems?: FieldProblem[];
  typed?: Record<string, string>;
  /** Save and test: what the save said, shown above the test's result. */
  saved?: string;
  /** The test was of the typed values (not saved); or typed values were refused before any test. */
  typedTest?: boolean;
  notTested?: boolean;
}

function systemOf(raw: string): TargetSystem {
  const parsed = targetSystemSchema.safeParse(raw);
  if (!parsed.success) throw Object.assign(new Error(`There is no target system "${raw}".`), { statusCode: 404 });
  return parsed.data;
}

/**
 * The form as the settings API's body: the fields typed (an empty box keeps the stored value, which is
 * also how a write-only secret is left unchanged) and the Enabled box, which a form always states.
 */
function settingsBody(ctx: ConsoleContext, system: TargetSystem, form: unknown): Record<string, unknown> {
  const { visible, secret, json } = ctx.admin.fieldsOf(system);
  const values = Object.fromEntries([...visible, ...secret].map((k) => [k, field(form, k).trim()]).filter(([, v]) => v !== ''));
  // Field rules and lifecycle are typed as JSON: read here, so a typing slip is named like any bad setting.
  const problems: FieldProblem[] = [];
  for (const k of json.filter((k) => k in values)) {
    try {
      values[k] = JSON.parse(values[k] as string);
    } catch (err) {
      problems.push({ path: k, message: `must be JSON (${(err as Error).message})` });
    }
  }
  if (problems.length > 0) throw new InvalidInputError(`${system} settings`, problems);
  return { ...values, enabled: field(form, 'enabled') === 'on' };
}

/** What was typed, to show again, except secrets: those are never sent back to a browser. */
function typedValues(ctx: ConsoleContext, system: TargetSystem, form: unknown): Record<string, string> {
  return Object.fromEntries(ctx.admin.fieldsOf(system).visible.map((k) => [k, field(form, k)]));
}

export function integrationPages(scope: FastifyInstance, ctx: ConsoleContext): void {
  async function show(request: FastifyRequest, reply: FastifyReply, outcome?: Outcome, status = 200) {
    const systems = await Promise.all(
      TARGET_SYSTEMS.map(async (system) => ({
        system,
        ...ctx.admin.fieldsOf(system),
        description: await ctx.admin.describe(system),
        ...(outcome?.system === system ? { outcome } : {}),
      })),
    );
    return renderPage(ctx, request, reply, 'integrations', { title: 'Integrations', nav: 'integrations', systems }, status);
  }

  scope.get('/integrations', async (request, reply) => show(request, reply));

  scope.post<SystemReq>('/integrations/:system', async (request, reply) => {
    const system = systemOf(request.params.system);
    let saved;
    try {
      saved = await ctx.admin.update(system, settingsBody(ctx, system, request.body), operatorOf(request));
    } catch (err) {
      if (!(err instanceof InvalidInputError || err instanceof EncryptionKeyMissingError)) throw err;
      const problems = err instanceof InvalidInputError ? err.problems : [{ path: 'secret', message: err.message }];
      return show(request, reply, { system, problems, typed: typedValues(ctx, system, request.body) }, 400);
    }
    const found = saved.problems?.length ? ` The field rules have ${saved.problems.length} problem(s): ${saved.problems.map((p) => p.message).join('; ')}.` : '';
    if (field(request.body, 'andTest') === '1') {
      // Save and test: the page answers with the saved settings' test in place, as Test Connection does.
      return show(request, reply, { system, test: await ctx.admin.testConnection(system, operatorOf(request)), saved: `${SYSTEMS[system].label} settings saved.${found}` });
    }
    await flash(ctx, request, found ? 'error' : 'ok', `${SYSTEMS[system].label} settings saved.${found}`);
    return reply.redirect(`${CONSOLE_PATH}/integrations#${system}`, 303);
  });

  // Answers with the page itself (the result in place), so it works with and without htmx.
  scope.post<SystemReq>('/integrations/:system/test', async (request, reply) => {
    const system = systemOf(request.params.system);
    // From the settings form (its "Test typed values"): what is typed, over what is stored, nothing saved.
    const typedForm = field(request.body, 'typed') === '1';
    try {
      const typed = typedForm ? (({ enabled: _enabled, ...values }) => values)(settingsBody(ctx, system, request.body)) : undefined;
      const test = await ctx.admin.testConnection(system, operatorOf(request), typed);
      return show(request, reply, { system, test, ...(typedForm ? { typedTest: true, typed: typedValues(ctx, system, request.body) } : {}) });
    } catch (err) {
      if (!(err instanceof InvalidInputError)) throw err;
      return show(request, reply, { system, problems: err.problems, typed: typedValues(ctx, system, request.body), notTested: true }, 400);
    }
  });
}
