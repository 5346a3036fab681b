import { redirect } from "react-router";
import { Form, useActionData } from "react-router";
import { normalizePublicId } from "#app/certificates/certificates.server.ts";
import { readForm } from "#app/http/forms.server.ts";
import type { Route } from "./+types/verify._index";

export const meta: Route.MetaFunction = () => [{ title: "Verify a certificate · KAP Academy" }];

export async function action({ request }: Route.ActionArgs) {
  const id = normalizePublicId(String((await readForm(request)).get("id") ?? ""));
  if (!id) return { message: "A certificate id has 20 letters and digits, usually written in four groups of five (e.g. ABCDE-FGHIJ-KLMNO-PQRST)." };
  return redirect(`/verify/${id}`);
}

export default function VerifyIndex() {
  const actionData = useActionData<typeof action>();
  return (
    <div className="narrow">
      <h1>Verify a certificate</h1>
      <p>Enter the certificate id printed on a KAP Academy certificate, or scan its QR code.</p>
      <Form method="post" className="card form">
        {actionData?.message ? <p className="field__error" role="alert">{actionData.message}</p> : null}
        <div className="field">
          <label htmlFor="certificate-id">Certificate id</label>
          <input id="certificate-id" name="id" type="text" autoComplete="off" placeholder="ABCDE-FGHIJ-KLMNO-PQRST" />
        </div>
        <button type="submit" className="button">Verify</button>
      </Form>
    </div>
  );
}
