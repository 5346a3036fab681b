/**
 * Header values built from input. `Headers` throws on CR, LF or NUL (a 500 after
 * the work is done), and a client may misread other control characters, so any
 * value that came from a request is checked before it goes into a response.
 */

/** Visible ASCII, space and tab only: what every client reads the same way. */
const SAFE_HEADER_VALUE = /^[\t\x20-\x7e]*$/;

export function isSafeHeaderValue(value: string): boolean {
  return SAFE_HEADER_VALUE.test(value);
}

/**
 * The value, or an error naming the header. Callers sanitise first (see
 * redirect.ts), so this throwing means a sanitiser is missing: a bug, not bad input.
 */
export function headerValue(name: string, value: string): string {
  if (!isSafeHeaderValue(value)) throw new Error(`Refusing to send a ${name} header with a control or non-ASCII character in it.`);
  return value;
}

/** `Retry-After` in whole seconds, at least 1, until `until`. */
export function retryAfterSeconds(until: Date, now: number = Date.now()): number {
  return Math.max(1, Math.ceil((until.getTime() - now) / 1000));
}
