// What the Crossmint compatibility suites share: a `hardhat node` started with Polygon's chain
// id (137) stands in for `polygon`, configured on Herald by its name and RPC URL alone, so
// Crossmint's documented bodies (`"chain": "polygon"`, `email:…:polygon`) are sent as they are;
// a receiver whose webhooks are verified with `svix`, as Crossmint tells its users to.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { startHardhatNode, NODE_KEY, type HardhatNode } from "../helpers/hardhat-node.js";
import { eventually, startTestHerald, type TestHerald } from "../helpers/herald.js";
import { Receiver } from "../helpers/receiver.js";
import { svixWebhook } from "../helpers/svix-webhook.js";

export const POLYGON_CHAIN_ID = 137;

export interface CrossmintWorld {
  node: HardhatNode;
  h: TestHerald;
  receiver: Receiver;
  secret: string;
  stop(): Promise<void>;
}

export async function startCrossmintWorld(): Promise<CrossmintWorld> {
  execFileSync(process.execPath, ["scripts/build-contracts.mjs", "--quiet"]);
  const node = await startHardhatNode({ chainId: POLYGON_CHAIN_ID });
  const h = await startTestHerald({
    HERALD_CHAINS: JSON.stringify([{ name: "polygon", rpcUrl: node.rpcUrl, privateKey: NODE_KEY }]),
  });
  const receiver = await Receiver.start();
  const endpoint = await h.api("POST", "/webhooks/endpoints", { url: `${receiver.url}/hook` });
  assert.equal(endpoint.status, 201);
  return {
    node,
    h,
    receiver,
    secret: endpoint.body.secret,
    async stop() {
      await h.stop();
      await receiver.close();
      node.stop();
    },
  };
}

/** The action once it is no longer pending (generous: a busy machine is slow). */
export async function settled(h: TestHerald, actionId: string) {
  return eventually(
    async () => {
      const action = (await h.api("GET", `/actions/${actionId}?wait=30`)).body;
      return action.status === "pending" ? null : action;
    },
    { timeoutMs: 120_000, intervalMs: 100, message: `action ${actionId} settled` },
  );
}

/** The webhook of `type` about `actionId`, verified with svix (as Crossmint's docs say). */
export function verifiedWebhook(world: CrossmintWorld, type: string, actionId: string) {
  return svixWebhook(world, type, actionId);
}

const ADDRESS = /^0x[0-9a-fA-F]{40}$/;

/** Every EVM address in `value` is EIP-55 checksummed (mixed case unless it has no letters). */
export function assertChecksummed(value: unknown, where: string): void {
  const text = JSON.stringify(value);
  for (const match of text.matchAll(/0x[0-9a-fA-F]{40}(?![0-9a-fA-F])/g)) {
    const address = match[0];
    if (!ADDRESS.test(address) || !/[a-fA-F]/.test(address.slice(2))) continue;
    assert.ok(
      address !== address.toLowerCase() && address !== `0x${address.slice(2).toUpperCase()}`,
      `${where}: ${address} is not checksummed`,
    );
  }
}
