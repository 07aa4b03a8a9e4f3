import { fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import { App } from "./App";
import { fakeApi } from "./test/fake-api";
import { CATALOG, ENDPOINT_ID, endpoint } from "./test/fixtures";

function signedInAt(path: string) {
  window.sessionStorage.setItem("herald.console.apiKey", "hk_test");
  window.history.replaceState(null, "", path);
}

describe("console app", () => {
  it("opens a deep link to an endpoint and navigates with the header links", async () => {
    signedInAt(`/console/endpoints/${ENDPOINT_ID}`);
    fakeApi({
      [`GET /webhooks/endpoints/${ENDPOINT_ID}`]: { body: endpoint() },
      [`GET /webhooks/endpoints/${ENDPOINT_ID}/deliveries`]: {
        body: { data: [], nextCursor: null },
      },
      "GET /webhooks/event-types": { body: { data: CATALOG } },
      "GET /webhooks/endpoints": { body: { data: [endpoint()], nextCursor: null } },
    });
    render(<App />);
    expect(await screen.findByRole("heading", { level: 1, name: "Production mints" })).toBeTruthy();
    const nav = screen.getByRole("navigation", { name: "Main" });
    expect(within(nav).getByRole("link", { name: "Endpoints" }).getAttribute("aria-current")).toBe(
      "page",
    );
    expect(screen.getByRole("banner").textContent).toContain("Herald console");

    fireEvent.click(within(nav).getByRole("link", { name: "Endpoints" }));
    const heading = await screen.findByRole("heading", { level: 1, name: "Endpoints" });
    expect(window.location.pathname).toBe("/console/endpoints");
    // Focus moves to the new screen, as a page load would.
    expect(document.activeElement).toBe(heading);
    const row = await screen.findByTestId("endpoint-row");
    expect(within(row).getByText("Active")).toBeTruthy();
    expect(within(row).getByText("nfts.create.succeeded, nfts.create.failed")).toBeTruthy();

    // Back goes back.
    window.history.back();
    expect(await screen.findByRole("heading", { level: 1, name: "Production mints" })).toBeTruthy();
  });

  it("adds an endpoint and shows its secret once, with a copy button", async () => {
    signedInAt("/console/endpoints/new");
    const secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    const writeText = vi.fn(async () => {});
    vi.stubGlobal("navigator", { ...navigator, clipboard: { writeText } });
    fakeApi({
      "GET /webhooks/event-types": { body: { data: CATALOG } },
      "POST /webhooks/endpoints": { status: 201, body: { ...endpoint(), secret } },
    });
    render(<App />);
    fireEvent.change(await screen.findByLabelText("Endpoint URL"), {
      target: { value: "https://hooks.example.com/herald" },
    });
    fireEvent.click(screen.getByRole("button", { name: "Create endpoint" }));
    const created = await screen.findByTestId("endpoint-created");
    expect(within(created).getByTestId("created-secret").textContent).toBe(secret);
    fireEvent.click(within(created).getByRole("button", { name: "Copy" }));
    await waitFor(() => expect(writeText).toHaveBeenCalledWith(secret));
    expect(
      within(created).getByRole("link", { name: "Open the endpoint" }).getAttribute("href"),
    ).toBe(`/console/endpoints/${ENDPOINT_ID}`);
  });

  it("answers an unknown address with a page that says so", async () => {
    signedInAt("/console/nowhere");
    fakeApi({});
    render(<App />);
    expect(await screen.findByRole("heading", { level: 1, name: "Page not found" })).toBeTruthy();
  });
});
