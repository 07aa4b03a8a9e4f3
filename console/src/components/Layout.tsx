import { useEffect, useRef, type ReactNode } from "react";
import { Link, takeFocusAfterNavigation, usePath } from "../router";

const NAV = [
  { to: "/", label: "Overview", matches: (path: string) => path === "/" },
  {
    to: "/endpoints",
    label: "Endpoints",
    matches: (path: string) => path.startsWith("/endpoints"),
  },
  { to: "/actions", label: "Actions", matches: (path: string) => path.startsWith("/actions") },
  { to: "/original", label: "Original", matches: (path: string) => path === "/original" },
  { to: "/chains", label: "Chains", matches: (path: string) => path === "/chains" },
];

/** Header, navigation and the main region every signed-in screen renders into. */
export function Layout({ onSignOut, children }: { onSignOut: () => void; children: ReactNode }) {
  const path = usePath();
  const mainRef = useRef<HTMLElement>(null);
  const firstRender = useRef(true);

  // After an in-app navigation, move focus to the new screen's heading, as a page load would
  // (screen readers announce it; keyboard users continue from the top of the content).
  useEffect(() => {
    if (firstRender.current) {
      firstRender.current = false;
      return;
    }
    if (!takeFocusAfterNavigation()) return;
    const heading = mainRef.current?.querySelector<HTMLElement>("h1");
    (heading ?? mainRef.current)?.focus();
  }, [path]);

  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="site-header">
        <Link to="/" className="brand">
          Herald console
        </Link>
        <nav aria-label="Main">
          <ul>
            {NAV.map((item) => (
              <li key={item.to}>
                <Link to={item.to} aria-current={item.matches(path) ? "page" : undefined}>
                  {item.label}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        <button type="button" className="button secondary sign-out" onClick={onSignOut}>
          Sign out
        </button>
      </header>
      <main id="main" ref={mainRef} tabIndex={-1}>
        {children}
      </main>
    </>
  );
}
