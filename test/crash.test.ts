import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import {
  printingOutputOnFailure,
  startChildHerald,
  type ChildHerald,
} from "./helpers/child-herald.js";
import { apiClient, eventually } from "./helpers/herald.js";
import { Receiver } from "./helpers/receiver.js";

// The at-least-once proof: kill -9 Herald in the middle of a publish stream, start it again on
// the same data dir, and every event it acknowledged with a 2xx still reaches the receiver.

const API_KEY = "hk_crash_test_key_0123456789";
const TOTAL = 3000;
const KILL_AFTER_ACCEPTED = 1000;
const CONCURRENCY = 20;

const env = {
  HERALD_API_KEY: API_KEY,
  HERALD_ALLOW_PRIVATE_NETWORKS: "127.0.0.0/8",
  HERALD_RETRY_SCHEDULE: "0.2,0.5,1,2",
  HERALD_LOG_LEVEL: "warn",
};

test(
  "kill -9 during a publish stream: every accepted event is delivered after restart",
  { timeout: 300_000 },
  async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "herald-crash-"));
    // webhook-id → how many times the receiver got it, across both runs.
    const received = new Map<string, number>();
    const receiver = await Receiver.start((req) => {
      const id = String(req.headers["webhook-id"]);
      received.set(id, (received.get(id) ?? 0) + 1);
      return { status: 200 };
    });
    const children: ChildHerald[] = [];
    try {
      await printingOutputOnFailure(
        () => children,
        async () => {
          const first = await startChildHerald({ dataDir, env });
          children.push(first);
          let api = apiClient(first.url, API_KEY);
          const endpoint = await api("POST", "/webhooks/endpoints", {
            url: receiver.url + "/hook",
          });
          assert.equal(endpoint.status, 201, JSON.stringify(endpoint.body));

          // seq → event id, only for publishes answered with a 2xx.
          const accepted = new Map<number, string>();
          let failedPublishes = 0;
          const publish = async (seq: number) => {
            try {
              const res = await api(
                "POST",
                "/events",
                { type: "crash.test", data: { seq } },
                // A client retrying after the crash reuses its key, as a real one would.
                { "idempotency-key": `crash-${seq}` },
              );
              if (res.status >= 200 && res.status < 300) {
                assert.equal(typeof res.body.id, "string");
                accepted.set(seq, res.body.id as string);
              } else failedPublishes++;
            } catch {
              failedPublishes++; // connection refused or reset by the kill
            }
          };
          /** Publishes `seqs` with CONCURRENCY workers until they run out or `stop()` says so. */
          const stream = async (seqs: number[], stop: () => boolean) => {
            let next = 0;
            await Promise.all(
              Array.from({ length: CONCURRENCY }, async () => {
                while (next < seqs.length && !stop()) await publish(seqs[next++]!);
              }),
            );
          };

          // Run 1: publish until ~1000 are accepted, then SIGKILL with publishes in flight.
          // The stream returns once the publishes in flight at the kill have failed or answered.
          const kill: { at: { accepted: number; receivedIds: Set<string> } | null } = { at: null };
          const all = Array.from({ length: TOTAL }, (_, seq) => seq);
          await stream(all, () => {
            if (kill.at === null && accepted.size >= KILL_AFTER_ACCEPTED) {
              kill.at = { accepted: accepted.size, receivedIds: new Set(received.keys()) };
              first.process.kill("SIGKILL");
            }
            return kill.at !== null;
          });
          const exit = await first.exited;
          assert.equal(exit.signal, "SIGKILL", "the first run was killed, not stopped");
          const atKill = kill.at;
          assert.ok(atKill, "the stream reached the kill point");
          const acceptedBeforeKill = [...accepted.values()];
          const undeliveredAtKill = acceptedBeforeKill.filter(
            (id) => !atKill.receivedIds.has(id),
          ).length;

          // Run 2: same data dir, then the rest of the stream (and retries of the failed ones).
          const second = await startChildHerald({ dataDir, env });
          children.push(second);
          api = apiClient(second.url, API_KEY);
          await stream(
            all.filter((seq) => !accepted.has(seq)),
            () => false,
          );
          assert.equal(accepted.size, TOTAL, "every publish is accepted by the second run");

          const ids = [...accepted.values()];
          const missing = () => ids.filter((id) => !received.has(id));
          await eventually(() => missing().length === 0, {
            timeoutMs: 60_000,
            intervalMs: 100,
            message: "every accepted event at the receiver",
          }).catch((error: Error) => {
            throw new Error(`${error.message}; lost=${missing().length}`);
          });

          const lost = missing().length;
          const delivered = ids.filter((id) => received.has(id)).length;
          const duplicates = ids.reduce((sum, id) => sum + (received.get(id) ?? 0) - 1, 0);
          console.log(
            `accepted=${ids.length}, delivered=${delivered}, lost=${lost}, duplicates=${duplicates}` +
              ` (accepted before the kill=${acceptedBeforeKill.length},` +
              ` of which not yet delivered at the kill=${undeliveredAtKill},` +
              ` publishes failed by the kill=${failedPublishes})`,
          );
          assert.equal(lost, 0);
          assert.equal(new Set(ids).size, ids.length, "one event id per sequence number");
          for (const req of receiver.requests) {
            assert.equal(req.json?.id, req.headers["webhook-id"], "webhook-id is the event id");
          }
          await second.kill("SIGTERM");
        },
      );
    } finally {
      for (const child of children) await child.kill("SIGKILL");
      await receiver.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  },
);
