import { useSyncExternalStore } from "react";

// Polling stops while the tab is hidden: no load on Herald from tabs nobody looks at.

function subscribe(onChange: () => void): () => void {
  document.addEventListener("visibilitychange", onChange);
  return () => document.removeEventListener("visibilitychange", onChange);
}

const isVisible = () => document.visibilityState !== "hidden";

export function usePageVisible(): boolean {
  return useSyncExternalStore(subscribe, isVisible, () => true);
}
