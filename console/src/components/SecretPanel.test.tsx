import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import { EndpointPage } from "../pages/EndpointPage";
import { fakeApi } from "../test/fake-api";
import { CATALOG, ENDPOINT_ID, endpoint } from "../test/fixtures";
import { renderSignedIn } from "../test/render";

// The endpoint page's signing panel for an ed25519 endpoint: the whpk_ public key always in
// view, the whsk_ secret key hidden until revealed, a rotation showing the new public key.

const base = `/webhooks/endpoints/${ENDPOINT_ID}`;
const PUBLIC_KEY = "whpk_Pd5gF8PqSVQKrBKnTRt+vJyYLM8uxJaMwM1V8Sr0Zgw=";
const NEXT_PUBLIC_KEY = "whpk_9G2o3nKc1hM3Jc4vJm8r0YtS2bA1x5rW6uQ0pZ7dLkE=";
const SECRET_KEY = "whsk_" + "A".repeat(86) + "==";

function setup(routes: Parameters<typeof fakeApi>[0] = {}) {
  const api = fakeApi({
    [`GET ${base}`]: { body: endpoint({ signing: "ed25519", publicKey: PUBLIC_KEY }) },
    [`GET ${base}/deliveries`]: { body: { data: [], nextCursor: null } },
    "GET /webhooks/event-types": { body: { data: CATALOG } },
    ...routes,
  });
  renderSignedIn(<EndpointPage endpointId={ENDPOINT_ID} pollMs={60_000} />);
  return api;
}

describe("signing panel, ed25519 endpoint", () => {
  it("shows the public key without asking, copyable; the secret key stays masked", async () => {
    const writeText = vi.fn(async () => {});
    vi.stubGlobal("navigator", { ...navigator, clipboard: { writeText } });
    const api = setup();
    expect(await screen.findByRole("heading", { name: "Signing keys (ed25519)" })).toBeTruthy();
    expect(screen.getByTestId("public-key").textContent).toBe(PUBLIC_KEY);
    expect(screen.getByText(/v1a/)).toBeTruthy();
    expect(screen.getByTestId("secret-value").textContent).toMatch(/^whsk_•+$/);
    expect(api.find("GET", `${base}/secret`)).toHaveLength(0);

    const panel = screen.getByTestId("public-key").parentElement!;
    fireEvent.click(within(panel).getByRole("button", { name: "Copy" }));
    expect(await screen.findByText("Copied to the clipboard.")).toBeTruthy();
    expect(writeText).toHaveBeenCalledWith(PUBLIC_KEY);
  });

  it("reveals the whsk_ secret key on request", async () => {
    setup({ [`GET ${base}/secret`]: { body: { secret: SECRET_KEY, publicKey: PUBLIC_KEY } } });
    const value = await screen.findByTestId("secret-value");
    fireEvent.click(screen.getByRole("button", { name: "Reveal" }));
    await waitFor(() => expect(value.textContent).toBe(SECRET_KEY));
  });

  it("rotates the keys after asking and shows the new public key", async () => {
    const api = setup({
      [`POST ${base}/secret/rotate`]: {
        body: { secret: SECRET_KEY, publicKey: NEXT_PUBLIC_KEY },
      },
    });
    fireEvent.click(await screen.findByRole("button", { name: "Rotate keys" }));
    expect(screen.getByText(/current key keeps signing alongside it for 24 hours/)).toBeTruthy();
    fireEvent.click(screen.getByRole("button", { name: "Rotate now" }));
    expect((await screen.findByTestId("secret-rotated")).textContent).toContain("New key pair");
    expect(screen.getByTestId("public-key").textContent).toBe(NEXT_PUBLIC_KEY);
    expect(api.find("POST", `${base}/secret/rotate`)).toHaveLength(1);
  });

  it("an hmac endpoint shows no public key", async () => {
    fakeApi({
      [`GET ${base}`]: { body: endpoint() },
      [`GET ${base}/deliveries`]: { body: { data: [], nextCursor: null } },
      "GET /webhooks/event-types": { body: { data: CATALOG } },
    });
    renderSignedIn(<EndpointPage endpointId={ENDPOINT_ID} pollMs={60_000} />);
    expect(await screen.findByRole("heading", { name: "Signing secret" })).toBeTruthy();
    expect(screen.queryByTestId("public-key")).toBeNull();
    expect(screen.getByTestId("secret-value").textContent).toMatch(/^whsec_•+$/);
  });
});
