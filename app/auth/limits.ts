/** Password length limits, shown in the forms and enforced by password-rules.ts. */
export const PASSWORD_MIN_LENGTH = 10;
export const PASSWORD_MAX_LENGTH = 128;
