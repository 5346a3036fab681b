import { randomInt } from "node:crypto";
import { gunzipSync, gzipSync } from "node:zlib";
import { and, eq, isNotNull, lt, ne, sql } from "drizzle-orm";
import { getDb, type DB } from "#app/db/client.server.ts";
import { certificates, statusLists } from "#app/db/schema.ts";
import { publicOrigin } from "#app/env.server.ts";
import { getSigningKey, signCredential, VC_CONTEXT, verifySignedCredential } from "./credential.server.ts";

/**
 * Revocation in the credential itself: a W3C Bitstring Status List (v1.0).
 * Every certificate owns one bit of one list (its `statusListIndex`); the bit is
 * 1 when the certificate is no longer current (revoked, or replaced by a
 * reissue). The bits are derived from the certificates' statuses, so they can
 * never disagree with the records; the list's `version` goes up in the same
 * transaction as each status change, and a GET signs the list again whenever the
 * stored signature is older than the bits (docs/decisions/016-status-list.md).
 */

export const STATUS_LIST_ID = "1";
/** 131,072 entries (16 KiB), the minimum the spec requires for herd privacy. */
export const STATUS_LIST_SIZE = 131_072;

type Tx = Pick<DB, "select" | "insert" | "update">;

export function statusListUrl(listId: string = STATUS_LIST_ID): string {
  return `${publicOrigin()}/credentials/status/${listId}`;
}

/** The `credentialStatus` of a certificate's Open Badge. */
export function statusEntry(index: number) {
  const list = statusListUrl();
  return { id: `${list}#${index}`, type: "BitstringStatusListEntry", statusPurpose: "revocation", statusListIndex: String(index), statusListCredential: list };
}

/**
 * A random index no certificate holds yet. Called inside the issuing
 * transaction (an immediate one, so no other process can take the same index
 * between the check and the insert; the unique column would refuse it anyway).
 */
export function allocateStatusIndex(tx: Tx): number {
  const taken = (i: number) => tx.select({ id: certificates.id }).from(certificates).where(eq(certificates.statusListIndex, i)).get() !== undefined;
  for (let attempt = 0; attempt < 64; attempt++) {
    const candidate = randomInt(STATUS_LIST_SIZE);
    if (!taken(candidate)) return candidate;
  }
  // A nearly full list: choose among the free indices themselves.
  const used = new Set(tx.select({ i: certificates.statusListIndex }).from(certificates).where(isNotNull(certificates.statusListIndex)).all().map((r) => r.i!));
  const free = STATUS_LIST_SIZE - used.size;
  if (free <= 0) throw new Error("The revocation status list is full; a second list is needed (docs/decisions/016-status-list.md).");
  let k = randomInt(free);
  for (let i = 0; i < STATUS_LIST_SIZE; i++) if (!used.has(i) && k-- === 0) return i;
  throw new Error("unreachable");
}

/** Marks the list as changed; call in the same transaction as the status change. */
export function bumpStatusList(tx: Tx, listId: string = STATUS_LIST_ID): void {
  tx.insert(statusLists)
    .values({ id: listId, version: 1 })
    .onConflictDoUpdate({ target: statusLists.id, set: { version: sql`${statusLists.version} + 1` } })
    .run();
}

/** The bitstring: bit i is the i-th bit from the left (the high bit of byte 0 is index 0), as the spec orders it. */
export function encodeBits(indices: Iterable<number>, size: number = STATUS_LIST_SIZE): string {
  const bytes = Buffer.alloc(size / 8);
  for (const i of indices) bytes[i >> 3]! |= 0x80 >> (i & 7);
  // Multibase base64url without padding ("u" prefix) of the GZIP-compressed bits.
  return `u${gzipSync(bytes).toString("base64url")}`;
}

/** The version and the set bits, read together in one transaction so they match. */
function currentBits(listId: string): { version: number; revoked: number[] } {
  return getDb().transaction((tx) => {
    const row = tx.select({ version: statusLists.version }).from(statusLists).where(eq(statusLists.id, listId)).get();
    const revoked = tx
      .select({ i: certificates.statusListIndex })
      .from(certificates)
      .where(and(isNotNull(certificates.statusListIndex), ne(certificates.status, "valid")))
      .all()
      .map((r) => r.i!);
    return { version: row?.version ?? 0, revoked };
  });
}

/**
 * The signed BitstringStatusListCredential, never older than the bits: signed
 * again when a status changed since the stored one was signed.
 */
export async function getStatusListCredential(listId: string = STATUS_LIST_ID): Promise<Record<string, unknown> | null> {
  if (listId !== STATUS_LIST_ID) return null;
  const db = getDb();
  const stored = db.select().from(statusLists).where(eq(statusLists.id, listId)).get();
  if (stored?.signed && stored.signedVersion >= stored.version) return stored.signed;
  const { version, revoked } = currentBits(listId);
  const { did } = await getSigningKey();
  const url = statusListUrl(listId);
  const signedAt = new Date();
  const signed = await signCredential({
    "@context": [VC_CONTEXT],
    id: url,
    type: ["VerifiableCredential", "BitstringStatusListCredential"],
    issuer: did,
    validFrom: signedAt.toISOString(),
    credentialSubject: { id: `${url}#list`, type: "BitstringStatusList", statusPurpose: "revocation", encodedList: encodeBits(revoked) },
  });
  // Keep it unless another request stored a list of a newer version meanwhile.
  db.insert(statusLists).values({ id: listId, version, signed, signedVersion: version, signedAt }).onConflictDoNothing().run();
  db.update(statusLists)
    .set({ signed, signedVersion: version, signedAt })
    .where(and(eq(statusLists.id, listId), lt(statusLists.signedVersion, version)))
    .run();
  // What is stored now is at least as new as what was signed here.
  const now = db.select().from(statusLists).where(eq(statusLists.id, listId)).get()!;
  return now.signedVersion > version && now.signed ? now.signed : signed;
}

/** Reads bit `index` of a multibase base64url GZIP bitstring (the high bit of byte 0 is index 0). */
export function readBit(encodedList: string, index: number): boolean {
  if (!encodedList.startsWith("u")) throw new Error("encodedList is not multibase base64url");
  const bytes = gunzipSync(Buffer.from(encodedList.slice(1), "base64url"));
  if (index < 0 || index >= bytes.length * 8) throw new Error(`statusListIndex ${index} is outside the list`);
  return (bytes[index >> 3]! & (0x80 >> (index & 7))) !== 0;
}

/**
 * The `checkStatus` of a credential of this site: its entry must point into our
 * list, the list must carry a valid signature, and the entry's bit must be 0.
 */
export async function checkStatusEntry(entry: unknown): Promise<{ verified: boolean; revoked?: boolean; error?: string }> {
  const e = entry as { type?: string; statusPurpose?: string; statusListIndex?: string; statusListCredential?: string } | undefined;
  if (e?.type !== "BitstringStatusListEntry" || e.statusPurpose !== "revocation") return { verified: false, error: "unknown credentialStatus" };
  const listId = e.statusListCredential?.startsWith(`${statusListUrl("")}`) ? e.statusListCredential.slice(statusListUrl("").length) : null;
  const list = listId ? await getStatusListCredential(listId) : null;
  if (!list) return { verified: false, error: `no status list at ${e.statusListCredential}` };
  const signature = await verifySignedCredential(list);
  if (!signature.verified) return { verified: false, error: `the status list does not verify: ${signature.error}` };
  const index = Number(e.statusListIndex);
  if (!Number.isInteger(index)) return { verified: false, error: "statusListIndex is not a whole number" };
  const revoked = readBit((list.credentialSubject as { encodedList: string }).encodedList, index);
  return revoked ? { verified: false, revoked, error: "The credential has been revoked." } : { verified: true, revoked };
}
