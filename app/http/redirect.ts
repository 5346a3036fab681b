import { isSafeHeaderValue } from "./headers.ts";

/**
 * The one sanitiser for redirect targets that come from input (`redirectTo`,
 * `returnTo`). Rather than pattern-matching the string, it parses it as a URL
 * against the site's origin, as a browser would, and keeps it only when it stays
 * on this origin; the answer is rebuilt from the parsed path, query and hash. So
 * tabs, newlines, backslashes or dot segments cannot smuggle in another host
 * (`/%09/evil.example` reaches the parser as `/\t/evil.example` and resolves to
 * evil.example), and the result never holds CR, LF or other control characters.
 */

export const DEFAULT_REDIRECT = "/dashboard";
/** Longer targets are not links anyone followed here; they only bloat a header. */
const MAX_TARGET_LENGTH = 2048;

export function safeRedirect(target: unknown, origin: string, fallback: string = DEFAULT_REDIRECT): string {
  if (typeof target !== "string" || target === "" || target.length > MAX_TARGET_LENGTH) return fallback;
  // A control character is never part of a link someone followed here; the URL
  // parser would silently drop tabs and newlines, so refuse rather than guess.
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
  if (/[\u0000-\u001f\u007f]/.test(target)) return fallback;
  let base: URL;
  let url: URL;
  try {
    base = new URL(origin);
    url = new URL(target, base);
  } catch {
    return fallback;
  }
  if (url.origin !== base.origin) return fallback;
  const path = `${url.pathname}${url.search}${url.hash}`;
  // Dot segments can resolve to a path starting "//" ("/.//evil.example"), which a
  // browser reads as another host; the header check is belt and braces.
  if (!path.startsWith("/") || path.startsWith("//") || !isSafeHeaderValue(path)) return fallback;
  return path;
}

/** `safeRedirect` against the origin the request was made to. */
export function redirectTarget(request: Request, target: unknown, fallback: string = DEFAULT_REDIRECT): string {
  return safeRedirect(target, new URL(request.url).origin, fallback);
}
