import type { SessionValidation } from "#app/auth/session.server.ts";

/** What the HTTP server (scripts/serve.ts) hands to every loader and action. */
export type RequestContext = {
  /** The client's address (X-Forwarded-For is believed only with TRUST_PROXY). */
  clientIp: string;
  /** The session resolved once per request by the server; undefined when not resolved there. */
  auth?: SessionValidation | null;
  /** Nonce for inline scripts under the Content-Security-Policy. */
  cspNonce?: string;
  /** The HTTP adapter writes a rendered document's buffer itself (document-body.server.ts). */
  sendsDocumentBuffers?: boolean;
};

declare module "@remix-run/node" {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface AppLoadContext extends Partial<RequestContext> {}
}
