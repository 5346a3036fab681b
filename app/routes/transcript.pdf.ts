import { requireUser } from "#app/auth/guards.server.ts";
import { transcriptFileName, transcriptPdf } from "#app/transcript/exports.server.ts";
import { readPeriod } from "#app/transcript/period.ts";
import { buildTranscript } from "#app/transcript/transcript.server.ts";
import type { Route } from "./+types/transcript.pdf";

/** The learner's own transcript for the period in the query, as a PDF document. */
export async function loader(args: Route.LoaderArgs) {
  const user = await requireUser(args);
  const read = readPeriod(new URL(args.request.url).searchParams);
  if (!read.ok) throw new Response(Object.values(read.errors).flat().join(" "), { status: 400 });
  const transcript = (await buildTranscript(user.id, read.period))!;
  return new Response(Buffer.from(await transcriptPdf(transcript)), {
    headers: {
      "Content-Type": "application/pdf",
      "Content-Disposition": `attachment; filename="${transcriptFileName(transcript, "pdf")}"`,
      "Cache-Control": "private, no-store",
    },
  });
}
