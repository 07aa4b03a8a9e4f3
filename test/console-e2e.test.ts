import assert from "node:assert/strict";
import { existsSync, mkdirSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { chromium, type Browser, type Page } from "playwright-core";
import { buildConsole } from "../scripts/build-console.mjs";
import { AUDIT_SCRIPT, type AuditResult } from "./helpers/a11y-audit.js";
import { eventually, startTestHerald, TEST_API_KEY, type TestHerald } from "./helpers/herald.js";
import { Receiver } from "./helpers/receiver.js";

// The console in Debian's Chromium against a real Herald and a real receiver: every flow a
// developer goes through, with a screenshot of each page (into docs/screenshots/ when asked).

const CHROMIUM = process.env.HERALD_TEST_CHROMIUM ?? "/usr/bin/chromium";
// Into docs/screenshots/ when asked (HERALD_UPDATE_SCREENSHOTS=1), so that a test run leaves the
// checkout as it was; otherwise into a temporary folder, still taken (and so still checked).
const SCREENSHOTS = process.env.HERALD_UPDATE_SCREENSHOTS
  ? new URL("../docs/screenshots/", import.meta.url).pathname
  : mkdtempSync(join(tmpdir(), "herald-screenshots-"));
const skip = existsSync(CHROMIUM)
  ? false
  : `no Chromium at ${CHROMIUM} (apt-get install -y chromium; .ci/run does)`;

let h: TestHerald;
let receiver: Receiver;
let browser: Browser;
let page: Page;
let failing = false;
let consoleUrl: string;

const audits = new Map<string, AuditResult>();

/** A screenshot of the page, and its accessibility audit (checked in the last test). */
async function shot(name: string) {
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
  audits.set(name, await page.evaluate<AuditResult>(AUDIT_SCRIPT));
}

before(async () => {
  if (skip) return;
  buildConsole({ quiet: true });
  mkdirSync(SCREENSHOTS, { recursive: true });
  h = await startTestHerald({ HERALD_RETRY_SCHEDULE: "0.05", HERALD_DELIVERY_TIMEOUT_MS: "2000" });
  receiver = await Receiver.start(() =>
    failing ? { status: 503, body: "maintenance, try later" } : { status: 200, body: "ok" },
  );
  consoleUrl = `${h.url}/console/`;
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    // No background traffic: this machine's network is closed.
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  page.setDefaultTimeout(10_000);
});

after(async () => {
  if (skip) return;
  await browser?.close();
  await h?.stop();
  await receiver?.close();
});

const nav = (name: string) =>
  page.getByRole("navigation", { name: "Main" }).getByRole("link", { name, exact: true });

test(
  "sign in: a wrong key is refused in words; the project key opens the overview",
  { skip },
  async () => {
    await page.goto(consoleUrl);
    await page.getByLabel("API key").fill("hk_wrong_key_0000000000000000");
    await page.getByTestId("sign-in").click();
    await page.getByText("That API key is not valid").waitFor();
    await shot("sign-in-error");
    await page.getByLabel("API key").fill(TEST_API_KEY);
    await page.getByTestId("sign-in").click();
    await page.getByRole("heading", { level: 1, name: "Overview" }).waitFor();
  },
);

let endpointId = "";

test(
  "create an HTTPS endpoint with two event types; its secret is shown once",
  { skip },
  async () => {
    await nav("Endpoints").click();
    await page.getByTestId("add-endpoint").click();
    await page.getByRole("radio", { name: "HTTPS" }).check();
    await page.getByLabel("Endpoint URL").fill(`${receiver.url}/hooks/console`);
    await page.getByRole("radio", { name: "Choose event types" }).check();
    for (const type of ["nfts.create.succeeded", "nfts.create.failed"])
      await page.getByRole("checkbox", { name: type, exact: true }).check();
    await page.getByLabel("Description (optional)").fill("Mint notifications");
    await shot("endpoint-new");
    await page.getByTestId("create-endpoint").click();
    await page.getByTestId("endpoint-created").waitFor();
    const secret = (await page.getByTestId("created-secret").textContent())!.trim();
    assert.match(secret, /^whsec_/);
    const listed = await h.api("GET", "/webhooks/endpoints?limit=250");
    const created = listed.body.data.find((e: any) => e.description === "Mint notifications");
    assert.deepEqual(created.eventTypes, ["nfts.create.succeeded", "nfts.create.failed"]);
    assert.equal(created.url, `${receiver.url}/hooks/console`);
    endpointId = created.id;
    assert.equal(
      (await h.api("GET", `/webhooks/endpoints/${endpointId}/secret`)).body.secret,
      secret,
    );
    await page.getByTestId("open-endpoint").click();
    await page.getByTestId("deliveries-table").waitFor();
  },
);

test(
  "send a test event: it appears in the table by itself, succeeded, with its attempt",
  { skip },
  async () => {
    await page.getByTestId("test-event-type").selectOption("nfts.create.succeeded");
    await page.getByTestId("send-test-event").click();
    await page.getByTestId("test-event-result").waitFor();
    const row = page.locator('[data-testid="delivery-row"][data-status="succeeded"]').first();
    await row.waitFor();
    assert.equal((await row.getByTestId("delivery-status").textContent())?.trim(), "Succeeded");
    assert.equal((await row.getByTestId("delivery-status-code").textContent())?.trim(), "200");
    const eventId = await row.getAttribute("data-event-id");
    await receiver.waitFor(1);
    assert.equal(receiver.requests.at(-1)!.headers["webhook-id"], eventId);
    await row.getByTestId("toggle-attempts").click();
    await page.getByTestId("attempt").first().waitFor();
    assert.equal(
      (await page.getByTestId("attempt-response-body").first().textContent())?.trim(),
      "ok",
    );
    await shot("endpoint");
  },
);

test(
  "the receiver fails: the delivery shows failed with the answer; Resend delivers it",
  { skip },
  async () => {
    failing = true;
    await page.getByTestId("send-test-event").click();
    const failed = page.locator('[data-testid="delivery-row"][data-status="failed"]').first();
    await failed.waitFor();
    const eventId = (await failed.getAttribute("data-event-id"))!;
    assert.equal((await failed.getByTestId("delivery-status-code").textContent())?.trim(), "503");
    await failed.getByTestId("toggle-attempts").click();
    await page.getByText("maintenance, try later").first().waitFor();
    await shot("endpoint-failed-delivery");
    failing = false;
    await failed.getByTestId("resend-delivery").click();
    await page
      .locator(`[data-testid="delivery-row"][data-event-id="${eventId}"][data-status="succeeded"]`)
      .waitFor();
    const received = receiver.requests.filter((r) => r.headers["webhook-id"] === eventId);
    assert.equal(received.at(-1)!.headers["x-webhook-attempt"], "3");
  },
);

test(
  "toggle activity: the switch follows Herald; off means paused in the API",
  { skip },
  async () => {
    const active = page.getByRole("switch", { name: "Active" });
    assert.equal(await active.getAttribute("aria-checked"), "true");
    await active.click();
    await eventually(async () => (await active.getAttribute("aria-checked")) === "false");
    assert.equal((await h.api("GET", `/webhooks/endpoints/${endpointId}`)).body.enabled, false);
    await active.press("Space");
    await eventually(async () => (await active.getAttribute("aria-checked")) === "true");
    assert.equal((await h.api("GET", `/webhooks/endpoints/${endpointId}`)).body.enabled, true);
  },
);

test("reveal and rotate the signing secret", { skip }, async () => {
  const before = (await h.api("GET", `/webhooks/endpoints/${endpointId}/secret`)).body.secret;
  await page.getByTestId("secret-reveal").click();
  await eventually(
    async () => (await page.getByTestId("secret-value").textContent())?.trim() === before,
  );
  await page.getByTestId("secret-rotate").click();
  await page.getByTestId("secret-rotate-confirm").click();
  await page.getByTestId("secret-rotated").waitFor();
  const after = (await h.api("GET", `/webhooks/endpoints/${endpointId}/secret`)).body.secret;
  assert.notEqual(after, before);
  await eventually(async () =>
    (await page.getByTestId("secret-value").textContent())?.includes(after),
  );
});

test("look up an action: pending, then succeeded live when it completes", { skip }, async () => {
  const opened = await h.api("POST", "/actions", { action: "nfts.create", data: { n: 1 } });
  assert.equal(opened.status, 201, JSON.stringify(opened.body));
  const actionId = opened.body.actionId as string;
  await nav("Actions").click();
  await page.getByLabel("Action id").fill(actionId);
  await page.getByTestId("action-lookup").click();
  await page.getByTestId("action-detail").waitFor();
  await eventually(async () =>
    /pending/i.test((await page.getByTestId("action-status").textContent()) ?? ""),
  );
  await shot("action-pending");
  const done = await h.api("PATCH", `/actions/${actionId}`, {
    status: "succeeded",
    data: { tokenId: "1" },
  });
  assert.equal(done.status, 200, JSON.stringify(done.body));
  await eventually(async () =>
    /succeeded/i.test((await page.getByTestId("action-status").textContent()) ?? ""),
  );
  await page.locator('[data-step="succeeded"][data-state="done"]').waitFor();
  await shot("action");
  await page.getByLabel("Action id").fill("00000000-0000-7000-8000-000000000000");
  await page.getByTestId("action-lookup").click();
  await page.getByText("No action with this id in this project.").waitFor();
});

test("overview: each endpoint's success rate and latency for the last hour", { skip }, async () => {
  await nav("Overview").click();
  const card = page.locator(`[data-testid="endpoint-stats"][data-endpoint-id="${endpointId}"]`);
  await card.waitFor();
  const stats = (await h.api("GET", `/webhooks/endpoints/${endpointId}/stats?window=1h`)).body;
  const percent = `${Math.round(stats.totals.successRate * 100)}`;
  await eventually(async () =>
    ((await card.getByTestId("success-rate-1h").textContent()) ?? "").includes(percent),
  );
  await card.getByTestId("chart-success-rate").waitFor();
  await shot("overview");
  await nav("Endpoints").click();
  await page.getByTestId("endpoints-table").waitFor();
  await shot("endpoints");
});

test(
  "a phone-width screen: the endpoint page fits, tables scroll in their own box",
  { skip },
  async () => {
    await page.setViewportSize({ width: 375, height: 800 });
    await page.goto(`${consoleUrl}endpoints/${endpointId}`);
    await page.getByTestId("deliveries-table").waitFor();
    // A string, evaluated in the page (this file is compiled without the DOM's types).
    const overflow = await page.evaluate<number>(
      "document.documentElement.scrollWidth - document.documentElement.clientWidth",
    );
    assert.ok(overflow <= 1, `the page scrolls sideways by ${overflow}px`);
    await shot("endpoint-phone");
  },
);

test("10,000 deliveries: the table holds one page and walks them by cursor", { skip }, async () => {
  await page.setViewportSize({ width: 1280, height: 800 });
  const quiet = await h.api("POST", "/webhooks/endpoints", {
    url: `${receiver.url}/hooks/many`,
    eventTypes: ["asset.transferred"],
  });
  assert.equal(quiet.status, 201);
  for (let batch = 0; batch < 20; batch++) {
    const events = Array.from({ length: 500 }, (_, i) => ({
      type: "asset.transferred",
      data: { n: batch * 500 + i },
    }));
    assert.equal((await h.api("POST", "/events/batch", { events })).status, 201);
  }
  const limits: number[] = [];
  page.on("request", (request) => {
    const url = new URL(request.url());
    if (url.pathname.endsWith(`/webhooks/endpoints/${quiet.body.id}/deliveries`))
      limits.push(Number(url.searchParams.get("limit")));
  });
  await page.goto(`${consoleUrl}endpoints/${quiet.body.id}`);
  const rows = page.getByTestId("delivery-row");
  await eventually(async () => (await rows.count()) === 50, {
    message: "50 rows",
    timeoutMs: 15_000,
  });
  const first = await rows.first().getAttribute("data-delivery-id");
  assert.match((await rows.first().getAttribute("data-status"))!, /^(pending|succeeded)$/);
  await page.getByTestId("deliveries-older").click();
  await eventually(async () => (await rows.first().getAttribute("data-delivery-id")) !== first);
  assert.equal(await rows.count(), 50);
  await page.getByTestId("deliveries-status-filter").selectOption("failed");
  await page.getByText("No deliveries").first().waitFor();
  assert.ok(limits.length >= 2 && limits.every((l) => l > 0 && l <= 50), `limits ${limits}`);
});

test("the audit itself catches faint text and an unnamed control", { skip }, async () => {
  const probe = await browser.newPage();
  try {
    await probe.setContent(
      '<body style="background:#fff"><p style="color:#aaa">faint words</p>' +
        '<p style="color:#222">plain words</p><input id="x"><label>ok <input></label></body>',
    );
    const audit = await probe.evaluate<AuditResult>(AUDIT_SCRIPT);
    assert.deepEqual(
      audit.lowContrast.map((c) => c.text),
      ["faint words"],
    );
    assert.equal(audit.unlabelled.length, 1);
  } finally {
    await probe.close();
  }
});

test("every page screenshotted: controls named, text contrast at least WCAG AA", { skip }, () => {
  assert.ok(audits.size >= 8, `audited ${[...audits.keys()]}`);
  for (const [name, audit] of audits) {
    assert.ok(audit.checkedText > 5, `${name}: only ${audit.checkedText} texts checked`);
    assert.deepEqual(audit.unlabelled, [], `${name}: controls without a name`);
    assert.deepEqual(audit.lowContrast, [], `${name}: text below 4.5:1`);
  }
});
