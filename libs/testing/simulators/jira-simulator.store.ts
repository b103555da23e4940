/** Jira status categories: only `done` closes a ticket. */
export type JiraStatusCategory = 'new' | 'indeterminate' | 'done';

/** A comment as stored: the body exactly as sent and when it was added (`Date.now()`). */
export interface SimulatedJiraComment {
  id: string;
  body: unknown;
  createdAt: number;
}

/** An issue the Jira simulator holds: the fields exactly as sent, its comments and its status. */
export interface SimulatedJiraIssue {
  id: string;
  key: string;
  projectKey: string;
  fields: Record<string, unknown>;
  comments: SimulatedJiraComment[];
  status: { name: string; category: JiraStatusCategory };
  createdAt: number;
}

const CATEGORY_NAMES: Record<JiraStatusCategory, string> = { new: 'To Do', indeterminate: 'In Progress', done: 'Done' };

/** In-memory issues; ids count from 10000 and keys per project from 1, as a fresh site does. */
export class JiraStore {
  private readonly issues: SimulatedJiraIssue[] = [];
  private nextId = 10000;
  private nextComment = 20000;
  private readonly counters = new Map<string, number>();

  create(fields: Record<string, unknown>): SimulatedJiraIssue {
    const projectKey = String((fields.project as { key: string }).key);
    const number = (this.counters.get(projectKey) ?? 0) + 1;
    this.counters.set(projectKey, number);
    const issue: SimulatedJiraIssue = {
      id: String(this.nextId++),
      key: `${projectKey}-${number}`,
      projectKey,
      fields: structuredClone(fields),
      comments: [],
      status: { name: 'To Do', category: 'new' },
      createdAt: Date.now(),
    };
    this.issues.push(issue);
    return issue;
  }

  find(idOrKey: string): SimulatedJiraIssue | undefined {
    return this.issues.find((i) => i.id === idOrKey || i.key === idOrKey.toUpperCase());
  }

  comment(issue: SimulatedJiraIssue, body: unknown): SimulatedJiraComment {
    const comment = { id: String(this.nextComment++), body: structuredClone(body), createdAt: Date.now() };
    issue.comments.push(comment);
    return comment;
  }

  /** Moves an issue to a status (named after its category unless `name` is given). */
  setStatus(idOrKey: string, category: JiraStatusCategory, name = CATEGORY_NAMES[category]): void {
    const issue = this.find(idOrKey);
    if (!issue) throw new Error(`no simulated Jira issue ${idOrKey}`);
    issue.status = { name, category };
  }

  all(): SimulatedJiraIssue[] {
    return this.issues.map((i) => structuredClone(i));
  }

  /** Issues a search can see: those created at least `lagMs` ago (Jira's index is eventually consistent). */
  searchable(lagMs: number): SimulatedJiraIssue[] {
    const cutoff = Date.now() - lagMs;
    return this.issues.filter((i) => i.createdAt <= cutoff);
  }

  /** The API view of an issue's status field. */
  static statusField(issue: SimulatedJiraIssue): Record<string, unknown> {
    const { name, category } = issue.status;
    return { name, statusCategory: { key: category, name: CATEGORY_NAMES[category] } };
  }
}
