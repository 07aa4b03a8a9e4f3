import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { apiError, fakeApi, type FakeCall } from "../test/fake-api";
import { CATALOG, ENDPOINT_ID, attempt, delivery } from "../test/fixtures";
import { renderSignedIn } from "../test/render";
import type { Delivery } from "../types";
import { DeliveriesTable } from "./DeliveriesTable";

const path = `/webhooks/endpoints/${ENDPOINT_ID}/deliveries`;

function setup(
  answer: (call: FakeCall) => { data: Delivery[]; nextCursor: string | null },
  routes: Parameters<typeof fakeApi>[0] = {},
  pollMs = 60_000,
) {
  const api = fakeApi({
    [`GET ${path}`]: (call) => ({ body: answer(call) }),
    "GET /webhooks/event-types": { body: { data: CATALOG } },
    ...routes,
  });
  renderSignedIn(<DeliveriesTable endpointId={ENDPOINT_ID} pollMs={pollMs} pageSize={2} />);
  return api;
}

const rows = () => screen.queryAllByTestId("delivery-row");

describe("deliveries table", () => {
  it("lists deliveries with status in words, attempts and status codes", async () => {
    setup(() => ({
      data: [
        delivery({ status: "failed", attemptCount: 8, lastStatusCode: 503, completedAt: null }),
        delivery({ eventType: "asset.minted" }),
      ],
      nextCursor: null,
    }));
    await waitFor(() => expect(rows()).toHaveLength(2));
    const [failed, ok] = rows();
    expect(within(failed!).getByTestId("delivery-status").textContent).toBe("Failed");
    expect(within(failed!).getByTestId("delivery-attempt-count").textContent).toBe("8");
    expect(within(failed!).getByTestId("delivery-status-code").textContent).toBe("503");
    expect(within(ok!).getByText("asset.minted")).toBeTruthy();
    expect(within(ok!).getByTestId("delivery-status").textContent).toBe("Succeeded");
    // Only failed deliveries can be resent.
    expect(within(failed!).queryByRole("button", { name: "Resend" })).toBeTruthy();
    expect(within(ok!).queryByRole("button", { name: "Resend" })).toBeNull();
  });

  it("asks Herald for the chosen status and type, from the first page", async () => {
    const api = setup(() => ({ data: [delivery()], nextCursor: null }));
    await waitFor(() => expect(rows()).toHaveLength(1));
    fireEvent.change(screen.getByLabelText("Status"), { target: { value: "failed" } });
    await waitFor(() => expect(api.find("GET", path).at(-1)!.query.get("status")).toBe("failed"));
    // The type filter lists the catalog.
    await screen.findByRole("option", { name: "delivery.exhausted" });
    fireEvent.change(screen.getByLabelText("Event type"), {
      target: { value: "nfts.create.failed" },
    });
    await waitFor(() =>
      expect(api.find("GET", path).at(-1)!.query.get("type")).toBe("nfts.create.failed"),
    );
    const last = api.find("GET", path).at(-1)!;
    expect(last.query.get("status")).toBe("failed");
    expect(last.query.get("limit")).toBe("2");
    expect(last.query.has("cursor")).toBe(false);
  });

  it("pages with cursors: Older, then Newer", async () => {
    const newest = [delivery(), delivery()];
    const older = [delivery({ eventType: "asset.minted" })];
    const api = setup((call) =>
      call.query.get("cursor") === "cursor-2"
        ? { data: older, nextCursor: null }
        : { data: newest, nextCursor: "cursor-2" },
    );
    await waitFor(() => expect(rows()).toHaveLength(2));
    expect(screen.getByRole("button", { name: "Newer" })).toHaveProperty("disabled", true);
    fireEvent.click(screen.getByRole("button", { name: "Older" }));
    await waitFor(() => expect(rows()).toHaveLength(1));
    expect(api.find("GET", path).at(-1)!.query.get("cursor")).toBe("cursor-2");
    expect(screen.getByText(/Live updates are paused on older pages/)).toBeTruthy();
    expect(screen.getByRole("button", { name: "Older" })).toHaveProperty("disabled", true);
    fireEvent.click(screen.getByRole("button", { name: "Newer" }));
    await waitFor(() => expect(rows()).toHaveLength(2));
  });

  it("expands a row into its attempts: status code, latency, response body, error", async () => {
    const failed = delivery({ status: "failed", attemptCount: 2, lastStatusCode: 503 });
    const api = setup(() => ({ data: [failed], nextCursor: null }), {
      [`GET /deliveries/${failed.id}/attempts`]: {
        body: {
          data: [
            attempt({
              id: 1,
              number: 1,
              statusCode: null,
              durationMs: 15000,
              responseBody: null,
              error: "timed out after 15000 ms",
              outcome: "failed",
            }),
            attempt({
              id: 2,
              number: 2,
              statusCode: 503,
              durationMs: 42,
              responseBody: "upstream unavailable",
              error: "HTTP 503",
              outcome: "failed",
            }),
          ],
        },
      },
    });
    const toggle = await screen.findByRole("button", { name: "Attempts" });
    expect(toggle.getAttribute("aria-expanded")).toBe("false");
    fireEvent.click(toggle);
    expect(toggle.getAttribute("aria-expanded")).toBe("true");
    const attempts = await screen.findAllByTestId("attempt");
    expect(attempts).toHaveLength(2);
    expect(within(attempts[0]!).getByText("timed out after 15000 ms")).toBeTruthy();
    expect(within(attempts[0]!).getByTestId("attempt-latency").textContent).toBe("15.0 s");
    expect(within(attempts[1]!).getByTestId("attempt-status-code").textContent).toBe("503");
    expect(within(attempts[1]!).getByTestId("attempt-latency").textContent).toBe("42 ms");
    const body = within(attempts[1]!).getByTestId("attempt-response-body");
    expect(body.tagName).toBe("PRE");
    expect(body.textContent).toBe("upstream unavailable");
    expect(api.find("GET", `/deliveries/${failed.id}/attempts`)).toHaveLength(1);
    fireEvent.click(screen.getByRole("button", { name: "Hide attempts" }));
    expect(screen.queryAllByTestId("attempt")).toHaveLength(0);
  });

  it("resends a failed delivery to this endpoint and refreshes", async () => {
    const failed = delivery({ status: "failed", completedAt: null });
    let resent = false;
    const api = setup(
      () => ({
        data: [
          resent ? { ...failed, status: "pending", updatedAt: "2025-01-15T12:00:00.000Z" } : failed,
        ],
        nextCursor: null,
      }),
      {
        [`POST /events/${failed.eventId}/resend`]: () => {
          resent = true;
          return { status: 202, body: { resent: 1 } };
        },
      },
    );
    fireEvent.click(await screen.findByRole("button", { name: "Resend" }));
    await waitFor(() => expect(screen.getByTestId("delivery-status").textContent).toBe("Pending"));
    expect(api.find("POST", `/events/${failed.eventId}/resend`)[0]!.body).toEqual({
      endpointId: ENDPOINT_ID,
    });
    expect(screen.getByText("Queued again")).toBeTruthy();
    expect(screen.queryByRole("button", { name: "Resend" })).toBeNull();
  });

  it("shows a failed resend's reason in the row", async () => {
    const failed = delivery({ status: "failed" });
    setup(() => ({ data: [failed], nextCursor: null }), {
      [`POST /events/${failed.eventId}/resend`]: apiError(404, "event or endpoint not found"),
    });
    fireEvent.click(await screen.findByRole("button", { name: "Resend" }));
    const row = screen.getByTestId("delivery-row");
    expect((await within(row).findByRole("alert")).textContent).toContain(
      "event or endpoint not found",
    );
  });

  it("polls the first page: new deliveries appear without a reload", async () => {
    const first = delivery();
    let answers = 0;
    setup(
      () => {
        answers += 1;
        return {
          data: answers > 1 ? [delivery({ eventType: "asset.minted" }), first] : [first],
          nextCursor: null,
        };
      },
      {},
      20,
    );
    await waitFor(() => expect(rows()).toHaveLength(1));
    await waitFor(() => expect(rows()).toHaveLength(2));
    expect(within(rows()[0]!).getByText("asset.minted")).toBeTruthy();
  });

  it("stops polling while the tab is hidden and catches up when it is shown", async () => {
    const visibility = { state: "visible" as DocumentVisibilityState };
    Object.defineProperty(document, "visibilityState", {
      configurable: true,
      get: () => visibility.state,
    });
    try {
      const api = setup(() => ({ data: [delivery()], nextCursor: null }), {}, 20);
      await waitFor(() => expect(api.find("GET", path).length).toBeGreaterThan(2));
      visibility.state = "hidden";
      document.dispatchEvent(new Event("visibilitychange"));
      await new Promise((r) => setTimeout(r, 30));
      const whileHidden = api.find("GET", path).length;
      await new Promise((r) => setTimeout(r, 100));
      expect(api.find("GET", path).length).toBe(whileHidden);
      visibility.state = "visible";
      document.dispatchEvent(new Event("visibilitychange"));
      await waitFor(() => expect(api.find("GET", path).length).toBeGreaterThan(whileHidden));
    } finally {
      delete (document as { visibilityState?: unknown }).visibilityState;
    }
  });

  it("says when the deliveries cannot be loaded", async () => {
    fakeApi({
      [`GET ${path}`]: apiError(404, "endpoint not found"),
      "GET /webhooks/event-types": { body: { data: CATALOG } },
    });
    renderSignedIn(<DeliveriesTable endpointId={ENDPOINT_ID} pollMs={60_000} />);
    expect((await screen.findByRole("alert")).textContent).toBe(
      "The deliveries could not be loaded: endpoint not found",
    );
  });
});
