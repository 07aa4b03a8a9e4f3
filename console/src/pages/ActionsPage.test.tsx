import { act, fireEvent, screen, waitFor } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { App } from "../App";
import { apiError, deferred, fakeApi, type FakeAnswer } from "../test/fake-api";
import { renderSignedIn } from "../test/render";
import type { Action } from "../types";
import { ActionsPage } from "./ActionsPage";

const ACTION_ID = "0194c1d2-3e4f-7a5b-8c6d-7e8f9a0b1c2d";
const pending: Action = {
  actionId: ACTION_ID,
  action: "nfts.create",
  status: "pending",
  data: { chain: "polygon", token: { tokenId: "15" } },
  startedAt: "2025-01-15T10:00:00.000Z",
  resource: `http://127.0.0.1:8080/api/2022-06-09/collections/c1/nfts/n1`,
};

describe("actions page", () => {
  it("follows a pending action to succeeded through the long poll", async () => {
    const release = deferred<FakeAnswer>();
    const api = fakeApi({
      [`GET /actions/${ACTION_ID}`]: (call) =>
        call.query.get("wait") ? release.promise : { body: pending },
    });
    renderSignedIn(<ActionsPage actionId={ACTION_ID} />);

    expect((await screen.findByTestId("action-status")).textContent).toBe("Pending");
    const pendingStep = screen
      .getByTestId("action-timeline")
      .querySelector('[data-step="pending"]')!;
    expect(pendingStep.getAttribute("aria-current")).toBe("step");
    expect(screen.getByTestId("action-data").textContent).toContain('"tokenId": "15"');
    await waitFor(() => expect(api.calls.some((c) => c.query.get("wait") === "20")).toBe(true));

    await act(async () =>
      release.resolve({
        body: {
          ...pending,
          status: "succeeded",
          completedAt: "2025-01-15T10:00:04.000Z",
          data: { ...(pending.data as object), transactionId: "0xabc" },
        },
      }),
    );
    expect((await screen.findByTestId("action-status")).textContent).toBe("Succeeded");
    const done = screen.getByTestId("action-timeline").querySelector('[data-step="succeeded"]')!;
    expect(done.getAttribute("data-state")).toBe("done");
    expect(done.querySelector("time")!.getAttribute("datetime")).toBe("2025-01-15T10:00:04.000Z");
    expect(screen.getByTestId("action-data").textContent).toContain("0xabc");
    // Completed: no further long poll.
    const count = api.calls.length;
    await new Promise((r) => setTimeout(r, 30));
    expect(api.calls.length).toBe(count);
  });

  it("shows a failed action as failed", async () => {
    fakeApi({ [`GET /actions/${ACTION_ID}`]: { body: { ...pending, status: "failed" } } });
    renderSignedIn(<ActionsPage actionId={ACTION_ID} />);
    expect((await screen.findByTestId("action-status")).textContent).toBe("Failed");
    const failed = screen.getByTestId("action-timeline").querySelector('[data-step="failed"]')!;
    expect(failed.getAttribute("data-state")).toBe("failed");
  });

  it("says under the field when there is no such action", async () => {
    fakeApi({ "GET /actions/nope": apiError(404, "action not found") });
    renderSignedIn(<ActionsPage actionId="nope" />);
    const error = await screen.findByRole("alert");
    expect(error.textContent).toBe("No action with this id in this project.");
    expect(screen.getByLabelText("Action id").getAttribute("aria-describedby")).toBe(error.id);
  });

  it("aborts the long poll when the page goes away", async () => {
    let signal: AbortSignal | undefined;
    const never = new Promise<FakeAnswer>(() => {});
    const api = fakeApi({
      [`GET /actions/${ACTION_ID}`]: (call) => (call.query.get("wait") ? never : { body: pending }),
    });
    const original = api.fetchMock.getMockImplementation()!;
    api.fetchMock.mockImplementation((input, init) => {
      if (String(input).includes("wait=")) signal = init?.signal ?? undefined;
      return original(input, init);
    });
    const view = renderSignedIn(<ActionsPage actionId={ACTION_ID} />);
    await waitFor(() => expect(signal).toBeDefined());
    expect(signal!.aborted).toBe(false);
    view.unmount();
    expect(signal!.aborted).toBe(true);
  });

  it("looks an id up from the form and puts it in the address", async () => {
    window.sessionStorage.setItem("herald.console.apiKey", "hk_test");
    window.history.replaceState(null, "", "/console/actions");
    fakeApi({ [`GET /actions/${ACTION_ID}`]: { body: { ...pending, status: "succeeded" } } });
    const { render } = await import("@testing-library/react");
    render(<App />);
    fireEvent.change(await screen.findByLabelText("Action id"), {
      target: { value: ` ${ACTION_ID} ` },
    });
    fireEvent.click(screen.getByRole("button", { name: "Look up" }));
    expect((await screen.findByTestId("action-status")).textContent).toBe("Succeeded");
    expect(window.location.pathname).toBe(`/console/actions/${ACTION_ID}`);
    expect(screen.getByRole("link", { name: "Actions" }).getAttribute("aria-current")).toBe("page");
  });
});
