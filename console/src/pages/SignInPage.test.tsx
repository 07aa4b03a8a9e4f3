import { fireEvent, render, screen, waitFor } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { App } from "../App";
import { apiError, fakeApi } from "../test/fake-api";
import { endpoint, stats } from "../test/fixtures";

const signIn = (key: string) => {
  fireEvent.change(screen.getByLabelText("API key"), { target: { value: key } });
  fireEvent.click(screen.getByRole("button", { name: "Sign in" }));
};

describe("sign in", () => {
  it("says under the field when the key is not valid, and keeps nothing", async () => {
    const api = fakeApi({ "GET /webhooks/endpoints": apiError(401, "invalid API key") });
    render(<App />);
    signIn("hk_wrong");
    const error = await screen.findByRole("alert");
    expect(error.textContent).toContain("That API key is not valid");
    expect(screen.getByLabelText("API key").getAttribute("aria-invalid")).toBe("true");
    expect(api.calls[0]!.headers["x-api-key"]).toBe("hk_wrong");
    expect(api.calls[0]!.query.get("limit")).toBe("1");
    expect(window.sessionStorage.length).toBe(0);
  });

  it("says Herald is not reachable when the network fails", async () => {
    fakeApi({ "GET /webhooks/endpoints": () => Promise.reject(new TypeError("fetch failed")) });
    render(<App />);
    signIn("hk_any");
    expect((await screen.findByRole("alert")).textContent).toContain("Herald is not reachable");
  });

  it("asks for a key before calling Herald", async () => {
    const api = fakeApi({});
    render(<App />);
    fireEvent.click(screen.getByRole("button", { name: "Sign in" }));
    expect((await screen.findByRole("alert")).textContent).toContain(
      "Paste your project's API key",
    );
    expect(api.calls).toHaveLength(0);
  });

  it("keeps a valid key for the tab, opens the overview, and signs out", async () => {
    const ep = endpoint();
    const api = fakeApi({
      "GET /webhooks/endpoints": { body: { data: [ep], nextCursor: null } },
      [`GET /webhooks/endpoints/${ep.id}/stats`]: (call) => ({
        body: stats(call.query.get("window") as "1h" | "24h"),
      }),
    });
    render(<App />);
    signIn("  hk_console_dev_key_0123456789 ");
    expect(await screen.findByRole("heading", { level: 1, name: "Overview" })).toBeTruthy();
    expect(screen.getByRole("navigation", { name: "Main" })).toBeTruthy();
    expect(Object.values(window.sessionStorage)).toContain("hk_console_dev_key_0123456789");
    await waitFor(() =>
      expect(
        api.calls.every((c) => c.headers["x-api-key"] === "hk_console_dev_key_0123456789"),
      ).toBe(true),
    );

    fireEvent.click(screen.getByRole("button", { name: "Sign out" }));
    expect(await screen.findByLabelText("API key")).toBeTruthy();
    expect(window.sessionStorage.length).toBe(0);
  });

  it("returns to sign in, saying why, when the key stops working", async () => {
    window.sessionStorage.setItem("herald.console.apiKey", "hk_revoked");
    fakeApi({ "GET /webhooks/endpoints": apiError(401, "invalid API key") });
    render(<App />);
    expect((await screen.findByRole("status")).textContent).toContain(
      "Herald no longer accepts that API key",
    );
    expect(screen.getByLabelText("API key")).toBeTruthy();
  });
});
