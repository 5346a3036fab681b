import { redirectTarget } from "./redirect.ts";

/**
 * Reads a form body. A body that is not a well-formed form (wrong type,
 * broken multipart) is the client's mistake: 400 with a plain message, never 500.
 */
export async function readForm(request: Request): Promise<FormData> {
  try {
    return await request.formData();
  } catch {
    throw new Response("The request is not a readable form. Send it as application/x-www-form-urlencoded or multipart/form-data.", { status: 400, statusText: "Bad Request" });
  }
}

type Answer = { ok: boolean; message?: string; [key: string]: unknown };

/**
 * A resource route's answer to a form. Pages post with fetchers or fetch and
 * read JSON. A browser without JavaScript posts the form itself (a navigation)
 * and would be shown that JSON: it goes back to `returnTo` when the post worked,
 * and gets the message as plain text when it did not.
 */
export function formAnswer(request: Request, answer: Answer, init: { status?: number; returnTo?: string } = {}): Response {
  const status = init.status ?? 200;
  if (request.headers.get("Sec-Fetch-Mode") === "navigate") {
    // returnTo is built from route params, which are input: sanitised like any redirect.
    if (answer.ok && init.returnTo) return new Response(null, { status: 303, headers: { Location: redirectTarget(request, init.returnTo) } });
    if (!answer.ok) return new Response(answer.message ?? "That did not work.", { status, headers: { "Content-Type": "text/plain; charset=utf-8" } });
  }
  return Response.json(answer, { status });
}
