// A tiny router on the History API. Paths inside the app are written without the base
// ("/endpoints/abc"); the browser shows them under /console/, where Herald serves index.html
// for every deep link.
import { useSyncExternalStore, type AnchorHTMLAttributes, type MouseEvent } from "react";

export const BASE_PATH = "/console";
const NAVIGATE_EVENT = "herald:navigate";

/** The app path of the current location ("/" outside the base, e.g. in tests). */
export function currentPath(): string {
  const { pathname } = window.location;
  if (pathname === BASE_PATH || pathname.startsWith(`${BASE_PATH}/`)) {
    return pathname.slice(BASE_PATH.length) || "/";
  }
  return "/";
}

export function href(path: string): string {
  return `${BASE_PATH}${path === "/" ? "/" : path}`;
}

let focusAfterNavigation = true;

/**
 * Goes to an app path. `keepFocus` is for changes within one screen (e.g. looking up another
 * action id), where moving focus to the heading would throw the user out of the form.
 */
export function navigate(path: string, { replace = false, keepFocus = false } = {}): void {
  focusAfterNavigation = !keepFocus;
  if (replace) window.history.replaceState(null, "", href(path));
  else window.history.pushState(null, "", href(path));
  window.dispatchEvent(new Event(NAVIGATE_EVENT));
}

/** Whether the last navigation wants focus moved to the new screen (then resets to yes). */
export function takeFocusAfterNavigation(): boolean {
  const wanted = focusAfterNavigation;
  focusAfterNavigation = true;
  return wanted;
}

function subscribe(onChange: () => void): () => void {
  window.addEventListener("popstate", onChange);
  window.addEventListener(NAVIGATE_EVENT, onChange);
  return () => {
    window.removeEventListener("popstate", onChange);
    window.removeEventListener(NAVIGATE_EVENT, onChange);
  };
}

export function usePath(): string {
  return useSyncExternalStore(subscribe, currentPath, () => "/");
}

/** Matches "/endpoints/:id" against a path; the decoded params, or null. */
export function matchPath(pattern: string, path: string): Record<string, string> | null {
  const want = pattern.split("/").filter(Boolean);
  const got = path.split("/").filter(Boolean);
  if (want.length !== got.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    const w = want[i]!;
    const g = got[i]!;
    if (w.startsWith(":")) {
      try {
        params[w.slice(1)] = decodeURIComponent(g);
      } catch {
        return null;
      }
    } else if (w !== g) return null;
  }
  return params;
}

type LinkProps = Omit<AnchorHTMLAttributes<HTMLAnchorElement>, "href"> & { to: string };

/** An ordinary link (open in new tab works) that navigates in place on a plain click. */
export function Link({ to, onClick, ...rest }: LinkProps) {
  const handleClick = (event: MouseEvent<HTMLAnchorElement>) => {
    onClick?.(event);
    if (
      event.defaultPrevented ||
      event.button !== 0 ||
      event.metaKey ||
      event.ctrlKey ||
      event.shiftKey ||
      event.altKey
    ) {
      return;
    }
    event.preventDefault();
    navigate(to);
  };
  return <a href={href(to)} onClick={handleClick} {...rest} />;
}
