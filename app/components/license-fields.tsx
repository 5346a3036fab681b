import { useId, useRef, useState } from "react";
import type { FieldErrors } from "#app/auth/forms.ts";
import { LICENSE_TYPE_CODES, LICENSE_TYPE_GROUPS, MAX_LICENSES, OTHER_LICENSE_TYPE, US_JURISDICTIONS } from "#app/auth/licenses.ts";

type Row = { key: number; type: string; other: string; number: string; state: string };

/** A stored type that is not a listed code was entered as "Other": show it so. */
function toRow(key: number, l: { type: string; number: string; state: string }): Row {
  const listed = !l.type || LICENSE_TYPE_CODES.includes(l.type);
  return { key, type: listed ? l.type : OTHER_LICENSE_TYPE, other: listed ? "" : l.type, number: l.number, state: l.state };
}


/**
 * License rows as parallel form fields (licenseType, licenseNumber, licenseState),
 * so the server reads them in order; rows can be added and removed.
 */
export function LicenseFields({
  initial,
  errors,
}: {
  initial?: Array<{ type: string; number: string; state: string }>;
  errors?: FieldErrors | null;
}) {
  // Keys (and so element ids) are deterministic, so server and client render agree.
  const baseId = useId();
  const nextKey = useRef(Math.max(1, initial?.length ?? 0));
  const blankRow = (): Row => ({ key: nextKey.current++, type: "", other: "", number: "", state: "" });
  const [rows, setRows] = useState<Row[]>(() =>
    initial?.length ? initial.map((l, i) => toRow(i, l)) : [{ key: 0, type: "", other: "", number: "", state: "" }],
  );
  const setType = (key: number, type: string) => setRows((r) => r.map((x) => (x.key === key ? { ...x, type } : x)));
  const listError = errors?.licenses;
  return (
    <fieldset className="field">
      <legend>Professional licenses</legend>
      <p className="field__hint">
        Enter each license exactly as your state board lists it. Your certificates show every license you hold.
      </p>
      {listError ? <p className="field__error" role="alert">{listError.join(" ")}</p> : null}
      {rows.map((row, i) => {
        const err = (f: string) => errors?.[`licenses.${i}.${f}`];
        const id = `${baseId}-license-${row.key}`;
        return (
          <div className="license-row" key={row.key} data-testid="license-row">
            <div className="field">
              <label htmlFor={`${id}-type`}>License type</label>
              <select id={`${id}-type`} name="licenseType" defaultValue={row.type} onChange={(e) => setType(row.key, e.currentTarget.value)} aria-invalid={err("type") ? true : undefined}>
                <option value="">Choose…</option>
                {LICENSE_TYPE_GROUPS.map((g) => (
                  <optgroup key={g.profession} label={g.profession}>
                    {g.types.map((t) => (
                      <option key={t.code} value={t.code}>{t.label}</option>
                    ))}
                  </optgroup>
                ))}
              </select>
              {err("type") ? <p className="field__error">{err("type")!.join(" ")}</p> : null}
            </div>
            {/* Always in the form (the fields are read as parallel lists); shown for "Other", or when it has an error. */}
            <div className="field" hidden={row.type !== OTHER_LICENSE_TYPE && !err("other")}>
              <label htmlFor={`${id}-other`}>License designation</label>
              <input id={`${id}-other`} name="licenseTypeOther" type="text" defaultValue={row.other} autoComplete="off" maxLength={30} aria-invalid={err("other") ? true : undefined} />
              {err("other") ? <p className="field__error">{err("other")!.join(" ")}</p> : null}
            </div>
            <div className="field">
              <label htmlFor={`${id}-number`}>License number</label>
              <input id={`${id}-number`} name="licenseNumber" type="text" defaultValue={row.number} autoComplete="off" maxLength={40} aria-invalid={err("number") ? true : undefined} />
              {err("number") ? <p className="field__error">{err("number")!.join(" ")}</p> : null}
            </div>
            <div className="field">
              <label htmlFor={`${id}-state`}>Issuing state</label>
              <select id={`${id}-state`} name="licenseState" defaultValue={row.state} aria-invalid={err("state") ? true : undefined}>
                <option value="">Choose…</option>
                {US_JURISDICTIONS.map(([code, name]) => (
                  <option key={code} value={code}>{name} ({code})</option>
                ))}
              </select>
              {err("state") ? <p className="field__error">{err("state")!.join(" ")}</p> : null}
            </div>
            <div>
              {rows.length > 1 ? (
                <button type="button" className="button button--danger button--small" onClick={() => setRows((r) => r.filter((x) => x.key !== row.key))}>
                  Remove<span className="visually-hidden"> license {i + 1}</span>
                </button>
              ) : null}
            </div>
          </div>
        );
      })}
      {rows.length < MAX_LICENSES ? (
        <button type="button" className="button button--secondary button--small" onClick={() => setRows((r) => [...r, blankRow()])}>
          Add another license
        </button>
      ) : null}
    </fieldset>
  );
}
