// `npm start`'s own chain across a crash: Herald on the embedded `local` chain, as a child
// process, SIGKILLed while mints are in flight, started again on the same data dir. The chain's
// journal brings back the contract and every token; the pending mints resume; nothing is
// minted twice; tokens minted before the kill can still be edited.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { before, test } from "node:test";
import {
  printingOutputOnFailure,
  startChildHerald,
  type ChildHerald,
} from "../helpers/child-herald.js";
import { apiClient } from "../helpers/herald.js";
import {
  assertMinted,
  assertWebhooks,
  createCollection,
  mintAll,
  waitSucceeded,
} from "../helpers/minting.js";
import { Receiver } from "../helpers/receiver.js";

const API_KEY = "hk_embedded_restart_key_0123456789";
const RECIPIENT = "local:0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
const env = {
  HERALD_API_KEY: API_KEY,
  HERALD_ALLOW_PRIVATE_NETWORKS: "127.0.0.0/8",
  HERALD_LOG_LEVEL: "warn",
};

before(() => {
  execFileSync(process.execPath, ["scripts/build-contracts.mjs", "--quiet"]);
});

test(
  "SIGKILL on the embedded chain mid-stream: the chain and the pending mints come back",
  {
    timeout: 300_000,
  },
  async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "herald-embedded-restart-"));
    const receiver = await Receiver.start();
    const children: ChildHerald[] = [];
    try {
      await printingOutputOnFailure(
        () => children,
        async () => {
          const first = await startChildHerald({ dataDir, env });
          children.push(first);
          let api = apiClient(first.url, API_KEY);
          await api("POST", "/webhooks/endpoints", {
            url: receiver.url,
            eventTypes: ["nfts.create.succeeded"],
          });
          const collection = await createCollection(api, "local", "Survivor");
          await waitSucceeded(api, [collection.actionId]);
          const names = (prefix: string, n: number) =>
            Array.from({ length: n }, (_, i) => `${prefix} #${i + 1}`);
          const before = await mintAll(api, collection.id, RECIPIENT, names("Before", 5));
          await waitSucceeded(
            api,
            before.map((m) => m.actionId),
          );
          // Accepted, then the kill: some mined, some sent, some still queued.
          const inFlight = await mintAll(api, collection.id, RECIPIENT, names("In flight", 30));
          await first.kill("SIGKILL");

          const second = await startChildHerald({ dataDir, env });
          children.push(second);
          api = apiClient(second.url, API_KEY);
          let pending = 0;
          for (const m of inFlight) {
            if ((await api("GET", `/actions/${m.actionId}`)).body.status === "pending")
              pending += 1;
          }
          console.log(`# mints still pending just after the restart: ${pending} of 30`);
          await waitSucceeded(
            api,
            inFlight.map((m) => m.actionId),
          );
          // Mints queued together may share a transaction (the default mintBatch).
          const { tokenIds: tokens } = await assertMinted(
            api,
            [...before, ...inFlight],
            undefined,
            25,
          );
          assert.deepEqual(
            tokens.map(Number).sort((a, b) => a - b),
            Array.from({ length: 35 }, (_, i) => i + 1),
            "token ids 1..35: the contract kept counting, nothing minted twice",
          );
          const duplicates = await assertWebhooks(
            receiver,
            [...before, ...inFlight].map((m) => m.actionId),
          );
          console.log(`# duplicate nfts.create.succeeded webhooks: ${duplicates}`);

          // The chain itself came back: a token minted before the kill is edited on it.
          const edit = await api("PATCH", `/collections/${collection.id}/nfts/${before[0]!.id}`, {
            metadata: { name: "Edited after the restart" },
          });
          assert.equal(edit.status, 200, JSON.stringify(edit.body));
          await waitSucceeded(api, [edit.body.actionId]);
          const next = await mintAll(api, collection.id, RECIPIENT, ["After"]);
          await waitSucceeded(api, [next[0]!.actionId]);
          const after = await api("GET", `/collections/${collection.id}/nfts/${next[0]!.id}`);
          assert.equal(after.body.onChain.tokenId, "36");
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
