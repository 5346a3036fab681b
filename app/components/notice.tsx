import { useSearchParams } from "react-router";

/**
 * One-time confirmations after a redirect, named by a fixed key in `?notice=`
 * (never free text from the URL, so a link cannot put words in our mouth).
 */
const NOTICES = {
  "signed-out": "You have been signed out.",
  "password-changed": "Your password was changed. Every other device has been signed out.",
  "password-reset": "Your password was reset. Sign in with your new password.",
  "profile-saved": "Your profile was saved.",
  welcome: "Welcome to KAP Academy. Your account is ready.",
  "account-closed": "Your account is closed. Your CE records and certificates are kept, as accreditors require.",
} as const;

export type NoticeKey = keyof typeof NOTICES;

export function withNotice(path: string, key: NoticeKey): string {
  return `${path}${path.includes("?") ? "&" : "?"}notice=${key}`;
}

export function Notice() {
  const [params] = useSearchParams();
  const key = params.get("notice");
  if (!key || !(key in NOTICES)) return null;
  return (
    <div className="alert alert--success" role="status">
      <p>{NOTICES[key as NoticeKey]}</p>
    </div>
  );
}
