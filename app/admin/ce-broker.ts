/**
 * CE Broker profession codes for the roster's `Profession=CODE` column. CE Broker
 * publishes the code list per state and profession; these defaults repeat our
 * license codes and must be confirmed against that list before a first upload.
 */
const PROFESSION_CODES: Record<string, string> = {
  RN: "RN",
  APRN: "APRN",
  NP: "APRN",
  LMFT: "LMFT",
  LCSW: "LCSW",
  LPC: "LPC",
  LMHC: "LMHC",
};

export function ceBrokerProfession(licenseType: string): string {
  return PROFESSION_CODES[licenseType] ?? licenseType.toUpperCase();
}
