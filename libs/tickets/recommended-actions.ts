import { riskLevelOf, type Incident } from '@rhx/domain';
import { TACTIC_STEPS, TECHNIQUE_STEPS, type ActionScope, type ActionStep } from './action-playbook.js';
import { compareKillChain, killChainStage, observedTactics } from './attack-tactics.js';
import { actorSteps, incidentSteps } from './actor-actions.js';
import { actionName, nameList } from './action-names.js';

/** The four groups of recommended actions of `specs/proactive-case-api.md`. */
export interface RecommendedActions {
  containment: string[];
  eradication: string[];
  prevention: string[];
  bestPractices: string[];
}

/** Actions kept per group, most urgent first. */
export const MAX_ACTIONS_PER_GROUP = 8;
const TECHNIQUE_ID = /\bT\d{4}(?:\.\d{3})?\b/g;
const baseId = (id: string) => id.slice(0, 5);

interface RuleLink {
  techniques: Set<string>;
  host?: string;
  user?: string;
  weight: number;
}

/** Names by weight (detections seen with them), then alphabetically, each once: independent of input order. */
function ranked(weights: Map<string, number>): string[] {
  return [...weights.entries()].sort(([a, wa], [b, wb]) => wb - wa || (a < b ? -1 : a > b ? 1 : 0)).map(([name]) => name);
}

function add(weights: Map<string, number>, name: string | undefined, weight: number): void {
  if (name !== undefined) weights.set(name, (weights.get(name) ?? 0) + weight);
}

function ruleLinks(incident: Incident): RuleLink[] {
  return (incident.rules ?? []).map((rule) => {
    const text = `${rule.name} ${rule.sampleEvent?.detail ?? ''}`;
    const ids = text.match(TECHNIQUE_ID) ?? [];
    return {
      techniques: new Set(ids.flatMap((id) => [id, baseId(id)])),
      host: actionName(rule.sampleEvent?.host),
      user: actionName(rule.sampleEvent?.user),
      weight: rule.count,
    };
  });
}

/** Everything the actions can name, gathered once per incident. */
class ActionContext {
  private readonly links: RuleLink[];
  private readonly allHosts: string[];
  private readonly allUsers: string[];
  readonly actor: string;

  constructor(readonly incident: Incident) {
    this.links = ruleLinks(incident);
    this.actor = actionName(incident.actor.name) ?? incident.actor.type;
    const hosts = new Map<string, number>();
    const users = new Map<string, number>();
    if (incident.actor.type === 'host') add(hosts, actionName(incident.actor.name), Number.MAX_SAFE_INTEGER);
    if (incident.actor.type === 'user') add(users, actionName(incident.actor.name), Number.MAX_SAFE_INTEGER);
    for (const host of incident.blastRadius?.hosts ?? []) add(hosts, actionName(host), 0);
    for (const user of incident.blastRadius?.users ?? []) add(users, actionName(user), 0);
    for (const link of this.links) {
      add(hosts, link.host, link.weight);
      add(users, link.user, link.weight);
    }
    this.allHosts = ranked(hosts);
    this.allUsers = ranked(users);
  }

  /** The scope of steps about `techniqueIds`: where rules citing them were seen, else the whole incident. */
  scope(techniqueIds: readonly string[], techniqueText?: string): ActionScope {
    const ids = new Set(techniqueIds);
    const hosts = new Map<string, number>();
    const users = new Map<string, number>();
    for (const link of this.links) {
      if (![...link.techniques].some((id) => ids.has(id))) continue;
      add(hosts, link.host, link.weight);
      add(users, link.user, link.weight);
    }
    const hostNames = hosts.size > 0 ? ranked(hosts) : this.allHosts;
    const userNames = users.size > 0 ? ranked(users) : this.allUsers;
    const named = {
      hosts: nameList(hostNames, 'hosts'),
      users: nameList(userNames, 'users'),
    };
    return {
      ...named,
      userCount: userNames.length,
      techniques: techniqueText,
      subject: named.hosts ?? named.users ?? this.actor,
      ip: this.incident.actor.type === 'ip' ? this.actor : undefined,
    };
  }
}

interface Technique {
  id: string;
  name?: string;
  tacticId?: string;
}

/** The incident's techniques (listed, or only cited by a rule), each once, sorted by id. */
function techniquesOf(incident: Incident): Technique[] {
  const byId = new Map<string, Technique>();
  for (const t of incident.mitre?.techniques ?? []) {
    if (!byId.has(t.id)) byId.set(t.id, { id: t.id, name: actionName(t.name, false), tacticId: t.tacticId });
  }
  for (const rule of incident.rules ?? []) {
    for (const id of `${rule.name} ${rule.sampleEvent?.detail ?? ''}`.match(TECHNIQUE_ID) ?? []) {
      if (!byId.has(id)) byId.set(id, { id });
    }
  }
  return [...byId.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

function techniqueText(techniques: readonly Technique[]): string | undefined {
  return nameList(
    techniques.map((t) => (t.name === undefined ? t.id : `${t.id} ${t.name}`)),
    'techniques',
  );
}

interface StepGroup {
  stage: number;
  steps: readonly ActionStep[];
  scope: ActionScope;
}

/** Tactic and technique step groups, the most advanced kill-chain stage first. */
function attackGroups(context: ActionContext): StepGroup[] {
  const techniques = techniquesOf(context.incident);
  const groups: StepGroup[] = [];
  for (const tactic of observedTactics(context.incident)) {
    const steps: readonly ActionStep[] | undefined = (TACTIC_STEPS as Record<string, readonly ActionStep[]>)[tactic.id];
    if (steps === undefined) continue;
    const own = techniques.filter((t) => t.tacticId === tactic.id);
    groups.push({ stage: killChainStage(tactic.id), steps, scope: context.scope(own.map((t) => t.id), techniqueText(own)) });
  }
  const bases = [...new Set(techniques.map((t) => baseId(t.id)))].filter((base) => TECHNIQUE_STEPS[base] !== undefined);
  for (const base of bases) {
    const family = techniques.filter((t) => baseId(t.id) === base);
    const tacticIds = family.map((t) => t.tacticId).filter((id): id is string => id !== undefined).sort(compareKillChain);
    const stage = tacticIds.length > 0 ? killChainStage(tacticIds[tacticIds.length - 1] ?? '') : -1;
    // A technique's steps come just before its tactic's: the specific step first.
    groups.push({ stage: stage + 0.5, steps: TECHNIQUE_STEPS[base] ?? [], scope: context.scope([base], techniqueText(family)) });
  }
  return groups.sort((a, b) => b.stage - a.stage);
}

/**
 * Recommended actions for an incident, from its actor, observed tactics and techniques (listed or
 * cited by a rule), hosts, users and rules. Each action is an executable step naming the host,
 * user, technique or control it acts on (at most `MAX_NAMED` hosts or users, then "and N
 * more"); at most {@link MAX_ACTIONS_PER_GROUP} per group, most urgent first; no duplicates.
 * Deterministic: the same incident always gives the same text, whatever the order of its lists.
 */
export function recommendedActions(incident: Incident): RecommendedActions {
  const context = new ActionContext(incident);
  const level = riskLevelOf(incident);
  const actorScope = context.scope([]);
  const groups: Array<{ steps: readonly ActionStep[]; scope: ActionScope }> = [
    { steps: actorSteps(incident.actor.type, level, context.actor, incident.id), scope: actorScope },
    { steps: incidentSteps(incident), scope: actorScope },
    ...attackGroups(context),
  ];
  const actions: RecommendedActions = { containment: [], eradication: [], prevention: [], bestPractices: [] };
  for (const { steps, scope } of groups) {
    for (const [category, step] of steps) {
      const text = step(scope);
      const list: string[] = actions[category];
      if (text !== undefined && list.length < MAX_ACTIONS_PER_GROUP && !list.includes(text)) list.push(text);
    }
  }
  return actions;
}
