import { render } from "@testing-library/react";
import type { ReactElement } from "react";
import { createApi } from "../api";
import { ApiContext } from "../api-context";

export const TEST_KEY = "hk_test_key_0123456789";

/** Renders a signed-in screen, with a fresh client (and so a fresh catalog cache). */
export function renderSignedIn(ui: ReactElement) {
  const api = createApi(TEST_KEY);
  return { api, ...render(<ApiContext.Provider value={api}>{ui}</ApiContext.Provider>) };
}
