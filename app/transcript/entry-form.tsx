import { Form, Link } from "react-router";
import type { FieldErrors } from "#app/auth/forms.ts";
import { ErrorSummary, Field } from "#app/components/forms.tsx";

export type EntryFormValues = {
  provider: string;
  title: string;
  ceHours: string;
  completedOn: string;
  accreditingBody: string;
  approvalNumber: string;
  license: string[];
};

export type LicenseChoice = { key: string; label: string };

/** The add / edit form for CE earned elsewhere. Multipart, so it posts the optional file without JavaScript too. */
export function EntryForm({ values, choices, errors, fileName, submitLabel, busy }: { values: EntryFormValues; choices: LicenseChoice[]; errors?: FieldErrors | null; fileName?: string | null; submitLabel: string; busy: boolean }) {
  const today = new Date().toISOString().slice(0, 10);
  return (
    <>
      <ErrorSummary errors={errors} />
      <Form method="post" encType="multipart/form-data" className="form" noValidate>
        <p className="alert alert--info">
          CE you add here is marked <strong>self-reported</strong> on your transcript and its downloads: KAP Academy has not verified it. Keep the provider&apos;s certificate.
        </p>
        <Field label="Provider" name="provider" required maxLength={200} defaultValue={values.provider} hint="The organisation that issued the CE certificate." errors={errors?.provider} />
        <Field label="Course title" name="title" required maxLength={300} defaultValue={values.title} errors={errors?.title} />
        <Field label="CE hours" name="ceHours" required inputMode="decimal" defaultValue={values.ceHours} hint="As the certificate states, up to two decimals (e.g. 1.5)." errors={errors?.ceHours} />
        <Field label="Completion date" name="completedOn" type="date" required max={today} defaultValue={values.completedOn} errors={errors?.completedOn} />
        <Field label="Accrediting body (optional)" name="accreditingBody" maxLength={120} defaultValue={values.accreditingBody} hint="e.g. APA, NBCC, ASWB ACE." errors={errors?.accreditingBody} />
        <Field label="Approval number (optional)" name="approvalNumber" maxLength={80} defaultValue={values.approvalNumber} errors={errors?.approvalNumber} />
        <fieldset className="field" aria-describedby={errors?.licenses ? "licenses-error" : undefined}>
          <legend>Counts toward these licenses</legend>
          {choices.length === 0 ? <p className="muted">Add a license to your profile first.</p> : null}
          {choices.map((c) => (
            <label key={c.key} className="quiz-option">
              <input type="checkbox" name="license" value={c.key} defaultChecked={values.license.includes(c.key)} /> {c.label}
            </label>
          ))}
          {errors?.licenses ? <p className="field__error" id="licenses-error">{errors.licenses.join(" ")}</p> : null}
        </fieldset>
        <div className="field">
          <label htmlFor="entry-file">Certificate file (optional)</label>
          <p className="field__hint" id="entry-file-hint">PDF, PNG or JPEG, at most 4 MB.{fileName ? ` Current file: ${fileName}. Choose a new one to replace it.` : ""}</p>
          <input
            id="entry-file"
            type="file"
            name="file"
            accept="application/pdf,image/png,image/jpeg"
            aria-invalid={errors?.file ? true : undefined}
            aria-describedby={["entry-file-hint", errors?.file ? "entry-file-error" : ""].filter(Boolean).join(" ")}
          />
          {errors?.file ? <p className="field__error" id="entry-file-error">{errors.file.join(" ")}</p> : null}
        </div>
        {fileName ? (
          <label className="quiz-option">
            <input type="checkbox" name="removeFile" /> Remove the current file
          </label>
        ) : null}
        <div className="actions">
          <button type="submit" className="button" disabled={busy}>{busy ? "Saving…" : submitLabel}</button>
          <Link to="/transcript">Cancel</Link>
        </div>
      </Form>
    </>
  );
}
