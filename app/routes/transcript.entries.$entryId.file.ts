import { requireUser } from "#app/auth/guards.server.ts";
import { findExternalEntry } from "#app/transcript/entries.server.ts";
import type { Route } from "./+types/transcript.entries.$entryId.file";

/** The entry's certificate file, to its owner only, as the type its bytes showed at upload. */
export async function loader(args: Route.LoaderArgs) {
  const user = await requireUser(args);
  const entry = await findExternalEntry(user.id, args.params.entryId);
  if (!entry?.fileData || !entry.fileType) throw new Response("File not found", { status: 404 });
  const name = entry.fileName ?? "certificate";
  return new Response(new Uint8Array(entry.fileData), {
    headers: {
      "Content-Type": entry.fileType,
      "Content-Disposition": `attachment; filename="${name.replace(/[^\w.\- ()]/g, "_")}"; filename*=UTF-8''${encodeURIComponent(name)}`,
      "Cache-Control": "private, no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
