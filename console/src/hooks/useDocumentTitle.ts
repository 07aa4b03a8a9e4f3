import { useEffect } from "react";

/** Each screen names itself in the tab and in screen readers' window lists. */
export function useDocumentTitle(title: string): void {
  useEffect(() => {
    document.title = title ? `${title} · Herald console` : "Herald console";
  }, [title]);
}
