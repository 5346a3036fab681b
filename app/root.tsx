import {
  Form,
  isRouteErrorResponse,
  Link,
  Links,
  Meta,
  NavLink,
  Outlet,
  Scripts,
  ScrollRestoration,
  useRouteError,
  useRouteLoaderData,
} from "react-router";
import { useEffect, type ReactNode } from "react";
import { getUser } from "#app/auth/guards.server.ts";
import { canMentor, canSeeDrafts } from "#app/auth/roles.ts";
import { rootMiddleware } from "#app/middleware/index.server.ts";
import { Notice } from "#app/components/notice.tsx";
import { useNonce } from "#app/components/nonce.tsx";
import stylesheet from "#app/styles/app.css?url";
import type { Route } from "./+types/root";

export const links: Route.LinksFunction = () => [
  { rel: "stylesheet", href: stylesheet },
  { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
];

export const meta: Route.MetaFunction = () => [
  { title: "KAP Academy: continuing education in ketamine-assisted psychotherapy" },
  { name: "description", content: "Self-paced CE courses in ketamine-assisted psychotherapy for licensed clinicians." },
];

export const middleware: Route.MiddlewareFunction[] = rootMiddleware;

export async function loader(args: Route.LoaderArgs) {
  const user = await getUser(args);
  return { user };
}

export function useOptionalUser() {
  return useRouteLoaderData<typeof loader>("root")?.user ?? null;
}

const ROLE_LABELS = { learner: "Learner", author: "Author", admin: "Admin", mentor: "Mentor" } as const;

function SiteHeader() {
  const user = useOptionalUser();
  return (
    <header className="site-header">
      <div className="site-header__inner">
        <Link to="/" className="brand" aria-label="KAP Academy home">
          <span className="brand__mark" aria-hidden="true">KA</span>
          <span className="brand__text">KAP Academy</span>
        </Link>
        <nav className="site-nav" aria-label="Main">
          <ul>
            <li><NavLink to="/courses">Courses</NavLink></li>
            {user ? (
              <>
                <li><NavLink to="/dashboard">Dashboard</NavLink></li>
                <li><NavLink to="/certificates">Certificates</NavLink></li>
                <li><NavLink to="/transcript">Transcript</NavLink></li>
                {canSeeDrafts(user) ? <li><NavLink to="/author">Authoring</NavLink></li> : null}
                {canMentor(user) ? <li><NavLink to="/mentor">Mentoring</NavLink></li> : null}
                {user.role === "admin" ? <li><NavLink to="/admin">Administration</NavLink></li> : null}
              </>
            ) : (
              <li><NavLink to="/" end>About</NavLink></li>
            )}
          </ul>
        </nav>
        <div className="user-menu">
          {user ? (
            <>
              {/* A long name is cut with an ellipsis to fit the header; the title shows it whole. */}
              <Link to="/account" className="user-menu__name" title={user.name}>{user.name}</Link>
              <span className={`role-badge role-badge--${user.role}`} data-testid="role-badge">{ROLE_LABELS[user.role]}</span>
              <Form method="post" action="/logout">
                <button type="submit" className="button button--ghost button--small">Sign out</button>
              </Form>
            </>
          ) : (
            <>
              <Link to="/login" className="button button--ghost button--small">Sign in</Link>
              <Link to="/signup" className="button button--secondary button--small">Create account</Link>
            </>
          )}
        </div>
      </div>
    </header>
  );
}

export function Layout({ children }: { children: ReactNode }) {
  const nonce = useNonce();
  return (
    <html lang="en">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        <Links />
      </head>
      <body>
        <a href="#main" className="skip-link">Skip to content</a>
        {children}
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  );
}

export default function App() {
  useEffect(() => {
    // Lets end-to-end tests wait until React has hydrated.
    document.documentElement.dataset.hydrated = "true";
  }, []);
  return (
    <>
      <SiteHeader />
      <main id="main" tabIndex={-1}>
        <Notice />
        <Outlet />
      </main>
      <footer className="site-footer">
        <div className="site-footer__inner">
          <span>KAP Academy · Continuing education for licensed clinicians</span>
          <span>Educational content only. Therapists do not prescribe or administer ketamine.</span>
        </div>
      </footer>
    </>
  );
}

export function ErrorBoundary() {
  const error = useRouteError();
  let title = "Something went wrong";
  let message = "An unexpected error occurred. Your work has been saved; please try again in a moment.";
  let status = 500;
  if (isRouteErrorResponse(error)) {
    status = error.status;
    if (error.status === 403) {
      title = "Access denied";
      message = "Your account does not have access to this page. If you think it should, contact your CE administrator.";
    } else if (error.status === 404) {
      title = "Page not found";
      message = "We could not find that page. Check the address, or go back to your dashboard.";
    } else if (typeof error.data === "string" && error.data) {
      title = error.statusText || title;
      message = error.data;
    }
  } else if (error instanceof Error) {
    console.error(error);
  }
  return (
    <main id="main" className="narrow" style={{ paddingTop: "3rem" }}>
      <div className="card">
        <p className="muted">Error {status}</p>
        <h1>{title}</h1>
        <p>{message}</p>
        <p className="actions">
          <Link to="/" className="button">Go to the home page</Link>
          <Link to="/dashboard" className="button button--secondary">Your dashboard</Link>
        </p>
      </div>
    </main>
  );
}
