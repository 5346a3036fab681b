import { useId, type InputHTMLAttributes, type ReactNode } from "react";
import type { FieldErrors } from "#app/auth/forms.ts";

export function ErrorSummary({ errors, title = "Please correct the following:" }: { errors?: FieldErrors | null; title?: string }) {
  if (!errors) return null;
  const messages = Object.values(errors).flat();
  if (!messages.length) return null;
  return (
    <div className="alert alert--error" role="alert" tabIndex={-1}>
      <p><strong>{title}</strong></p>
      <ul>
        {[...new Set(messages)].map((m) => (
          <li key={m}>{m}</li>
        ))}
      </ul>
    </div>
  );
}

type FieldProps = InputHTMLAttributes<HTMLInputElement> & {
  label: string;
  name: string;
  hint?: ReactNode;
  errors?: string[];
};

/** A labelled input whose hint and errors are announced with it. */
export function Field({ label, name, hint, errors, id, ...input }: FieldProps) {
  const generated = useId();
  const inputId = id ?? generated;
  const hintId = hint ? `${inputId}-hint` : undefined;
  const errorId = errors?.length ? `${inputId}-error` : undefined;
  return (
    <div className="field">
      <label htmlFor={inputId}>{label}</label>
      {hint ? <p className="field__hint" id={hintId}>{hint}</p> : null}
      <input
        id={inputId}
        name={name}
        aria-invalid={errors?.length ? true : undefined}
        aria-describedby={[hintId, errorId].filter(Boolean).join(" ") || undefined}
        {...input}
      />
      {errors?.length ? (
        <p className="field__error" id={errorId}>{errors.join(" ")}</p>
      ) : null}
    </div>
  );
}
