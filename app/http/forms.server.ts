/**
 * Reads a form body. A body that is not a well-formed form (wrong type,
 * broken multipart) is the client's mistake: 400 with a plain message, never 500.
 */
export async function readForm(request: Request): Promise<FormData> {
  try {
    return await request.formData();
  } catch {
    throw new Response("The request is not a readable form. Send it as application/x-www-form-urlencoded or multipart/form-data.", { status: 400, statusText: "Bad Request" });
  }
}
