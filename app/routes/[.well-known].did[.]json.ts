import { didDocument } from "#app/certificates/credential.server.ts";

/** The issuer's DID document (did:web), so wallets and verifiers can resolve the signing key. */
export async function loader() {
  return new Response(JSON.stringify(await didDocument(), null, 2), {
    headers: { "Content-Type": "application/did+json", "Cache-Control": "public, max-age=300", "Access-Control-Allow-Origin": "*" },
  });
}
