/**
 * Cross-site request refusal (Lucia's recommendation): every request that can
 * change state must come from our own origin. Browsers send Sec-Fetch-Site on
 * every request and Origin on every cross-origin or POST request; a state-changing
 * request that carries neither is refused too.
 */
const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

export type CsrfInput = {
  method: string;
  /** The origin this server is reached at, e.g. "http://localhost:3000". */
  ownOrigin: string;
  origin: string | null | undefined;
  secFetchSite: string | null | undefined;
};

/** Returns why the request is refused, or null when it may proceed. */
export function crossSiteRefusal({ method, ownOrigin, origin, secFetchSite }: CsrfInput): string | null {
  if (SAFE_METHODS.has(method.toUpperCase())) return null;
  if (secFetchSite && secFetchSite !== "same-origin") {
    return `Refused: a ${method} request from another site (Sec-Fetch-Site: ${secFetchSite}).`;
  }
  if (origin) {
    if (origin !== ownOrigin) return `Refused: a ${method} request from another origin (${origin}).`;
    return null;
  }
  if (secFetchSite === "same-origin") return null;
  return `Refused: a ${method} request without an Origin header.`;
}
