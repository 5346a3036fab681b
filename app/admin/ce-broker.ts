/**
 * CE Broker profession codes for the roster's `Profession=CODE` column. CE Broker
 * publishes the code list per state and profession; these defaults repeat our
 * license codes and must be confirmed against that list before a first upload
 * (/work/shared/ce-requirements.md section 3 has no code list; none was found).
 * A designation entered as "Other" is sent upper-cased as written.
 */
const PROFESSION_CODES: Record<string, string> = {
  LPC: "LPC",
  LPCC: "LPCC",
  LMHC: "LMHC",
  LCPC: "LCPC",
  LADC: "LADC",
  LMFT: "LMFT",
  LCSW: "LCSW",
  LICSW: "LICSW",
  LISW: "LISW",
  LMSW: "LMSW",
  Psychologist: "PSYCHOLOGIST",
  // Certificates issued before migration 0009 keep the degree their learner chose then.
  PsyD: "PSYCHOLOGIST",
  PhD: "PSYCHOLOGIST",
  MD: "MD",
  DO: "DO",
  PA: "PA",
  RN: "RN",
  APRN: "APRN",
  NP: "APRN",
  PharmD: "PHARMACIST",
};

export function ceBrokerProfession(licenseType: string): string {
  return PROFESSION_CODES[licenseType] ?? licenseType.toUpperCase().replace(/\s+/g, "");
}
