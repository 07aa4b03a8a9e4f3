import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import { apiError, fakeApi, type FakeCall } from "../test/fake-api";
import { CATALOG, ENDPOINT_ID, delivery, endpoint } from "../test/fixtures";
import { renderSignedIn } from "../test/render";
import type { Delivery } from "../types";
import { EndpointPage } from "./EndpointPage";

const base = `/webhooks/endpoints/${ENDPOINT_ID}`;

function setup(routes: Parameters<typeof fakeApi>[0] = {}, deliveries: Delivery[] = []) {
  const api = fakeApi({
    [`GET ${base}`]: { body: endpoint() },
    [`GET ${base}/deliveries`]: { body: { data: deliveries, nextCursor: null } },
    "GET /webhooks/event-types": { body: { data: CATALOG } },
    ...routes,
  });
  renderSignedIn(<EndpointPage endpointId={ENDPOINT_ID} pollMs={60_000} />);
  return api;
}

describe("endpoint page", () => {
  it("shows the title, destination and subscription", async () => {
    setup();
    expect(await screen.findByRole("heading", { level: 1, name: "Production mints" })).toBeTruthy();
    const summary = screen.getByTestId("destination-summary");
    expect(within(summary).getByText("HTTPS")).toBeTruthy();
    expect(within(summary).getByText("https://hooks.example.com/herald")).toBeTruthy();
    const types = screen.getByTestId("endpoint-event-types");
    expect(within(types).getByText("nfts.create.failed")).toBeTruthy();
  });

  it("says so when the endpoint does not exist", async () => {
    setup({ [`GET ${base}`]: apiError(404, "endpoint not found") });
    expect((await screen.findByRole("alert")).textContent).toContain(
      "No endpoint with this id in this project",
    );
  });

  it("turns the endpoint off with PATCH {enabled} and shows Herald's answer", async () => {
    const api = setup({
      [`PATCH ${base}`]: (call: FakeCall) => ({
        body: endpoint({ ...(call.body as object), updatedAt: "2025-01-15T11:00:00.000Z" }),
      }),
    });
    const active = await screen.findByRole("switch", { name: "Active" });
    expect(active.getAttribute("aria-checked")).toBe("true");
    expect(active.textContent).toContain("On");
    fireEvent.click(active);
    await waitFor(() => expect(active.getAttribute("aria-checked")).toBe("false"));
    expect(active.textContent).toContain("Off");
    expect(api.find("PATCH", base)[0]!.body).toEqual({ enabled: false });
  });

  it("keeps the switch as it was and says why when PATCH fails", async () => {
    setup({ [`PATCH ${base}`]: apiError(409, "the endpoint is being deleted") });
    const active = await screen.findByRole("switch", { name: "Active" });
    fireEvent.click(active);
    const error = await screen.findByText(/Could not turn the endpoint off/);
    expect(error.textContent).toContain("the endpoint is being deleted");
    expect(active.getAttribute("aria-checked")).toBe("true");
  });

  it("changes the event types with PATCH {eventTypes}, null for all", async () => {
    const api = setup({
      [`PATCH ${base}`]: (call: FakeCall) => ({
        body: endpoint({ ...(call.body as object), updatedAt: "2025-01-15T11:00:00.000Z" }),
      }),
    });
    fireEvent.click(await screen.findByRole("button", { name: "Change event types" }));
    fireEvent.click(await screen.findByRole("checkbox", { name: "asset.minted" }));
    fireEvent.click(screen.getByRole("button", { name: "Save event types" }));
    await waitFor(() =>
      expect(
        within(screen.getByTestId("endpoint-event-types")).getByText("asset.minted"),
      ).toBeTruthy(),
    );
    expect(api.find("PATCH", base)[0]!.body).toEqual({
      eventTypes: ["nfts.create.succeeded", "nfts.create.failed", "asset.minted"],
    });

    fireEvent.click(screen.getByRole("button", { name: "Change event types" }));
    fireEvent.click(screen.getByRole("radio", { name: "All event types" }));
    fireEvent.click(screen.getByRole("button", { name: "Save event types" }));
    await waitFor(() =>
      expect(screen.getByTestId("endpoint-event-types").textContent).toBe("All event types"),
    );
    expect(api.find("PATCH", base)[1]!.body).toEqual({ eventTypes: null });
  });

  it("reveals, hides and copies the secret", async () => {
    const secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    const writeText = vi.fn(async () => {});
    vi.stubGlobal("navigator", { ...navigator, clipboard: { writeText } });
    const api = setup({ [`GET ${base}/secret`]: { body: { secret } } });
    const value = await screen.findByTestId("secret-value");
    expect(value.textContent).not.toContain(secret);
    expect(api.find("GET", `${base}/secret`)).toHaveLength(0);

    fireEvent.click(screen.getByRole("button", { name: "Reveal" }));
    await waitFor(() => expect(value.textContent).toBe(secret));
    fireEvent.click(screen.getByRole("button", { name: "Hide" }));
    expect(value.textContent).not.toContain(secret);

    fireEvent.click(screen.getByRole("button", { name: "Copy" }));
    expect(await screen.findByText("Copied to the clipboard.")).toBeTruthy();
    expect(writeText).toHaveBeenCalledWith(secret);
    expect(api.find("GET", `${base}/secret`)).toHaveLength(1);
  });

  it("rotates the secret after asking, and explains the grace period", async () => {
    const api = setup({
      [`POST ${base}/secret/rotate`]: { body: { secret: "whsec_NEWsecretNEWsecretNEWsecret00" } },
    });
    fireEvent.click(await screen.findByRole("button", { name: "Rotate secret" }));
    expect(screen.getByText(/keeps signing alongside it for 24 hours/)).toBeTruthy();
    expect(api.find("POST", `${base}/secret/rotate`)).toHaveLength(0);
    fireEvent.click(screen.getByRole("button", { name: "Rotate now" }));
    expect((await screen.findByTestId("secret-rotated")).textContent).toContain("24 hours");
    expect(screen.getByTestId("secret-value").textContent).toBe(
      "whsec_NEWsecretNEWsecretNEWsecret00",
    );
  });

  it("shows why a rotation failed beside the button", async () => {
    setup({ [`POST ${base}/secret/rotate`]: apiError(404, "endpoint not found") });
    fireEvent.click(await screen.findByRole("button", { name: "Rotate secret" }));
    fireEvent.click(screen.getByRole("button", { name: "Rotate now" }));
    expect((await screen.findByText(/The secret was not rotated/)).textContent).toContain(
      "endpoint not found",
    );
  });

  it("sends a test event and its delivery appears in the table by itself", async () => {
    const sent = delivery({
      eventType: "nfts.create.failed",
      status: "pending",
      completedAt: null,
    });
    let sentYet = false;
    const api = setup({
      [`POST ${base}/test`]: () => {
        sentYet = true;
        return { status: 202, body: { eventId: sent.eventId, type: "nfts.create.failed" } };
      },
      [`GET ${base}/deliveries`]: () => ({
        body: { data: sentYet ? [sent] : [], nextCursor: null },
      }),
    });
    expect(await screen.findByText(/No deliveries yet/)).toBeTruthy();
    const picker = screen.getByLabelText("Test event type");
    // The endpoint's own types come first.
    await waitFor(() => expect((picker as HTMLSelectElement).value).toBe("nfts.create.succeeded"));
    fireEvent.change(picker, { target: { value: "nfts.create.failed" } });
    fireEvent.click(screen.getByRole("button", { name: "Send test event" }));
    expect((await screen.findByTestId("test-event-result")).textContent).toContain(sent.eventId);
    expect(api.find("POST", `${base}/test`)[0]!.body).toEqual({ eventType: "nfts.create.failed" });
    const row = await screen.findByTestId("delivery-row");
    expect(within(row).getByTestId("delivery-status").textContent).toBe("Pending");
  });

  it("shows a test send's error beside the button", async () => {
    setup({
      [`POST ${base}/test`]: apiError(400, 'eventType: "x" is not in the event catalog'),
    });
    await screen.findByRole("heading", { level: 1 });
    await waitFor(() =>
      expect((screen.getByLabelText("Test event type") as HTMLSelectElement).value).not.toBe(""),
    );
    fireEvent.click(screen.getByRole("button", { name: "Send test event" }));
    expect((await screen.findByText(/The test event was not sent/)).textContent).toContain(
      "is not in the event catalog",
    );
  });
});
