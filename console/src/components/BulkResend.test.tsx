import { fireEvent, render, screen } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import { createApi } from "../api";
import { ApiContext } from "../api-context";
import { apiError, fakeApi } from "../test/fake-api";
import { ENDPOINT_ID } from "../test/fixtures";
import { BulkResend } from "./BulkResend";

const path = `/webhooks/endpoints/${ENDPOINT_ID}/resend-failed`;

function setup(answer: Parameters<typeof fakeApi>[0][string]) {
  const api = fakeApi({ [`POST ${path}`]: answer });
  const onResent = vi.fn();
  render(
    <ApiContext.Provider value={createApi("hk_test")}>
      <BulkResend endpointId={ENDPOINT_ID} onResent={onResent} />
    </ApiContext.Provider>,
  );
  return { api, onResent };
}

describe("bulk resend", () => {
  it("resends every failed delivery since the chosen local time, as an ISO instant", async () => {
    const { api, onResent } = setup({ status: 202, body: { resent: 37 } });
    fireEvent.change(screen.getByLabelText("Resend failed deliveries since"), {
      target: { value: "2025-01-15T09:30" },
    });
    fireEvent.click(screen.getByRole("button", { name: "Resend failed" }));
    expect((await screen.findByTestId("bulk-resend-result")).textContent).toBe(
      "37 deliveries queued again.",
    );
    expect(api.find("POST", path)[0]!.body).toEqual({
      since: new Date("2025-01-15T09:30").toISOString(),
    });
    expect(onResent).toHaveBeenCalled();
  });

  it("defaults to a day ago and says when nothing failed", async () => {
    const { api } = setup({ status: 202, body: { resent: 0 } });
    fireEvent.click(screen.getByRole("button", { name: "Resend failed" }));
    expect((await screen.findByTestId("bulk-resend-result")).textContent).toContain(
      "0 deliveries queued again",
    );
    const since = Date.parse((api.find("POST", path)[0]!.body as { since: string }).since);
    expect(Math.abs(Date.now() - 86_400_000 - since)).toBeLessThan(120_000);
  });

  it("shows Herald's error beside the button", async () => {
    setup(apiError(400, 'body.since must match format "date-time"'));
    fireEvent.click(screen.getByRole("button", { name: "Resend failed" }));
    expect((await screen.findByRole("alert")).textContent).toBe(
      'Nothing was resent: body.since must match format "date-time"',
    );
  });
});
