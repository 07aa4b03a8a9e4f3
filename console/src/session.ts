// The API key lives in sessionStorage: it survives reloads of this tab and is gone when the
// tab closes. Storage can be unavailable (private modes, policies), so failures are tolerated.

const KEY = "herald.console.apiKey";

export function loadApiKey(): string | null {
  try {
    return window.sessionStorage.getItem(KEY);
  } catch {
    return null;
  }
}

export function saveApiKey(apiKey: string): void {
  try {
    window.sessionStorage.setItem(KEY, apiKey);
  } catch {
    // Signed in for this page view only.
  }
}

export function clearApiKey(): void {
  try {
    window.sessionStorage.removeItem(KEY);
  } catch {
    // Nothing was stored.
  }
}
