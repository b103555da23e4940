import type { FastifyRequest } from 'fastify';
import type { ConsoleSession } from './console-session.js';
import { SESSION_COOKIE, type ConsoleContext } from './console-context.js';

/** The cookie's session id (signature checked) and the signed-in session it names, if any. */
export interface FoundSession {
  id?: string;
  session?: ConsoleSession;
}

const found = new WeakMap<FastifyRequest, FoundSession>();

/** The session of a request, as {@link readSession} found it. */
export function sessionOf(request: FastifyRequest): FoundSession | undefined {
  return found.get(request);
}

/** Reads the session cookie once per request: an id whose signature fails is no id at all. */
export async function readSession(ctx: ConsoleContext, request: FastifyRequest): Promise<FoundSession> {
  const known = found.get(request);
  if (known) return known;
  const raw = request.cookies[SESSION_COOKIE];
  const unsigned = raw ? request.unsignCookie(raw) : undefined;
  const id = unsigned?.valid && unsigned.value ? unsigned.value : undefined;
  const result: FoundSession = id ? { id, session: await ctx.sessions.read(id) } : {};
  found.set(request, result);
  return result;
}

/** Records the session id a response has just given the browser (a visitor's first page). */
export function rememberSession(request: FastifyRequest, session: FoundSession): void {
  found.set(request, session);
}

/** A notice for the next page this operator sees (after the redirect that follows a form). */
export async function flash(ctx: ConsoleContext, request: FastifyRequest, kind: 'ok' | 'error', text: string): Promise<void> {
  const current = found.get(request);
  if (current?.id && current.session) await ctx.sessions.setFlash(current.id, current.session, { kind, text });
}
