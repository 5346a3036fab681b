import { redirect, type RouterContextProvider } from "react-router";
import type { Role } from "#app/db/schema.ts";
import { authContext, clientIpContext } from "#app/middleware/context.ts";
import type { SessionUser, SessionValidation } from "./session.server.ts";

/** The parts of loader/action arguments the guards need. */
export type GuardArgs = { request: Request; context: Readonly<RouterContextProvider> };

/** The session for this request, resolved once by the session middleware. */
export async function getAuth({ context }: GuardArgs): Promise<SessionValidation | null> {
  return context.get(authContext);
}

export async function getUser(args: GuardArgs): Promise<SessionUser | null> {
  return (await getAuth(args))?.user ?? null;
}

function loginRedirect(request: Request): Response {
  const url = new URL(request.url);
  const back = `${url.pathname}${url.search}`;
  return redirect(back === "/" ? "/login" : `/login?redirectTo=${encodeURIComponent(back)}`);
}

/** Anonymous visitors are sent to sign in and brought back afterwards. */
export async function requireUser(args: GuardArgs): Promise<SessionUser> {
  const user = await getUser(args);
  if (!user) throw loginRedirect(args.request);
  return user;
}

export async function requireAuth(args: GuardArgs): Promise<SessionValidation> {
  const auth = await getAuth(args);
  if (!auth) throw loginRedirect(args.request);
  return auth;
}

/** Signed-in users without one of the roles get 403 Forbidden. */
export async function requireRole(args: GuardArgs, roles: Role | readonly Role[]): Promise<SessionUser> {
  const user = await requireUser(args);
  const allowed: readonly Role[] = typeof roles === "string" ? [roles] : roles;
  if (!allowed.includes(user.role)) {
    throw new Response("You do not have access to this page.", { status: 403, statusText: "Forbidden" });
  }
  return user;
}

/** Sign-in and sign-up pages send a signed-in user to their dashboard. */
export async function requireAnonymous(args: GuardArgs): Promise<void> {
  if (await getUser(args)) throw redirect("/dashboard");
}

export function clientIp({ context }: GuardArgs): string {
  return context.get(clientIpContext);
}
