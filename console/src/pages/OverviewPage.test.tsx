import { screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { apiError, fakeApi } from "../test/fake-api";
import { ENDPOINT_ID, endpoint, stats } from "../test/fixtures";
import { renderSignedIn } from "../test/render";
import { OverviewPage } from "./OverviewPage";

const statsPath = `/webhooks/endpoints/${ENDPOINT_ID}/stats`;

describe("overview", () => {
  it("shows each endpoint's success rate and latency for the hour and the day", async () => {
    fakeApi({
      "GET /webhooks/endpoints": { body: { data: [endpoint()], nextCursor: null } },
      [`GET ${statsPath}`]: (call) =>
        call.query.get("window") === "1h"
          ? { body: stats("1h") }
          : {
              body: stats("24h", {
                totals: { succeeded: 990, failed: 10, successRate: 0.99, avgMs: 95 },
              }),
            },
    });
    renderSignedIn(<OverviewPage />);
    const card = await screen.findByTestId("endpoint-stats");
    expect(within(card).getByRole("link", { name: "Production mints" })).toBeTruthy();
    await waitFor(() =>
      expect(within(card).getByTestId("success-rate-1h").textContent).toContain("90 %"),
    );
    expect(within(card).getByTestId("success-rate-1h").textContent).toContain("of 10 attempts");
    expect(within(card).getByTestId("avg-latency-1h").textContent).toBe("120 ms");
    expect(within(card).getByTestId("success-rate-24h").textContent).toContain("99 %");
    expect(within(card).getByTestId("avg-latency-24h").textContent).toBe("95 ms");
  });

  it("draws both charts as labelled SVG with the numbers in a table", async () => {
    fakeApi({
      "GET /webhooks/endpoints": { body: { data: [endpoint()], nextCursor: null } },
      [`GET ${statsPath}`]: (call) => ({ body: stats(call.query.get("window") as "1h" | "24h") }),
    });
    renderSignedIn(<OverviewPage />);
    const rate = await screen.findByTestId("chart-success-rate");
    const image = within(rate).getByRole("img");
    expect(image.getAttribute("aria-label")).toContain("Success rate per 5 minutes, last hour");
    expect(image.getAttribute("aria-label")).toContain("1 of 12 intervals with deliveries");
    // One mark per bucket, each with its tooltip; the failed tenth drawn above the bar.
    expect(image.querySelectorAll("title")).toHaveLength(12);
    expect(image.querySelectorAll("rect.bar-empty")).toHaveLength(11);
    expect(image.querySelectorAll("rect.bar-rest")).toHaveLength(1);
    expect(
      image.querySelector("rect.bar")!.parentElement!.querySelector("title")!.textContent,
    ).toContain("90 % (9 succeeded, 1 failed)");
    const table = within(rate).getByRole("table", { name: /Success rate per 5 minutes/ });
    expect(within(table).getAllByRole("row")).toHaveLength(13);
    expect(within(table).getByText("90 % (9 succeeded, 1 failed)")).toBeTruthy();
    expect(within(table).getAllByText("no deliveries")).toHaveLength(11);

    const latency = screen.getByTestId("chart-latency");
    const latencyTable = within(latency).getByRole("table");
    expect(within(latencyTable).getByText("120 ms (slowest 410 ms)")).toBeTruthy();

    // The day's charts, hourly.
    within(screen.getByTestId("endpoint-stats")).getByRole("radio", { name: "Last day" }).click();
    await waitFor(() =>
      expect(
        within(screen.getByTestId("chart-success-rate"))
          .getByRole("img")
          .getAttribute("aria-label"),
      ).toContain("per hour, last day"),
    );
  });

  it("refreshes the numbers by itself", async () => {
    let answers = 0;
    fakeApi({
      "GET /webhooks/endpoints": { body: { data: [endpoint()], nextCursor: null } },
      [`GET ${statsPath}`]: (call) => {
        if (call.query.get("window") === "1h") answers += 1;
        const rate = answers > 1 ? 0.5 : 0.9;
        return {
          body: stats("1h", { totals: { succeeded: 1, failed: 1, successRate: rate, avgMs: 10 } }),
        };
      },
    });
    renderSignedIn(<OverviewPage refreshMs={20} />);
    const card = await screen.findByTestId("endpoint-stats");
    await waitFor(() =>
      expect(within(card).getByTestId("success-rate-1h").textContent).toContain("50 %"),
    );
  });

  it("says when statistics cannot be loaded, in the endpoint's card", async () => {
    fakeApi({
      "GET /webhooks/endpoints": { body: { data: [endpoint()], nextCursor: null } },
      [`GET ${statsPath}`]: apiError(404, "endpoint not found"),
    });
    renderSignedIn(<OverviewPage />);
    const card = await screen.findByTestId("endpoint-stats");
    expect((await within(card).findByRole("alert")).textContent).toBe(
      "Statistics could not be loaded: endpoint not found",
    );
  });

  it("invites to add an endpoint when there is none", async () => {
    fakeApi({ "GET /webhooks/endpoints": { body: { data: [], nextCursor: null } } });
    renderSignedIn(<OverviewPage />);
    expect(await screen.findByRole("link", { name: "Add your first endpoint" })).toBeTruthy();
  });
});
