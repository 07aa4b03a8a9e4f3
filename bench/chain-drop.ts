// npm run bench -- --chain-drop: a drop of mints against a `hardhat node` with 2-second blocks
// (interval mining) behind the JSON-RPC proxy public providers are modelled by (it refuses a
// sender's 17th pending transaction, and counts every call), with 1, 4 and 16 signers. For each:
// mints/s and request → webhook p50/p99, JSON-RPC calls per mint during the drop and per minute
// once idle. The first row is the path Herald had before signer pools and batch mints (one
// signer, one transaction per mint: `mintBatch: 1`), measured in the same run: the others are
// read against it.
import { mnemonicToAccount } from "viem/accounts";
import { toHex } from "viem";
import { startHardhatNode } from "../test/helpers/hardhat-node.js";
import { RpcProxy } from "../test/helpers/rpc-proxy.js";
import { startCluster, type ClusterSettings } from "./cluster.js";
import { measureMints } from "./mints.js";

export interface DropRow {
  signers: number;
  /** Mints per transaction at most (the chain entry's `mintBatch`). */
  mintBatch: number;
  mints: number;
  mintsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  callsPerMint: number;
  /** The methods called most during the drop, per mint. */
  topMethods: Array<[string, number]>;
  idleCallsPerMinute: number;
}

/** After a drop: its jobs final, the watcher's polls backed off to their idle pace. */
const IDLE_SETTLE_MS = 30_000;
/** Herald's default `mintBatch`. */
const DEFAULT_MINT_BATCH = 25;
const MNEMONIC = "test test test test test test test test test test test junk";
const hardhatKey = (i: number) =>
  toHex(mnemonicToAccount(MNEMONIC, { addressIndex: i }).getHdKey().privateKey!);

function snapshot(proxy: RpcProxy): Map<string, number> {
  return new Map(proxy.calls);
}

function since(proxy: RpcProxy, before: Map<string, number>): Map<string, number> {
  const delta = new Map<string, number>();
  for (const [method, n] of proxy.calls) {
    const d = n - (before.get(method) ?? 0);
    if (d > 0) delta.set(method, d);
  }
  return delta;
}

const total = (calls: Map<string, number>) => [...calls.values()].reduce((a, b) => a + b, 0);

export async function measureChainDrop(
  settings: ClusterSettings,
  options: { mints: number; signerCounts: number[]; blockMs: number; idleSeconds: number },
  progress: (line: string) => void,
): Promise<DropRow[]> {
  const node = await startHardhatNode({ blockIntervalMs: options.blockMs });
  const proxy = await RpcProxy.start(node.rpcUrl, 16);
  const rows: DropRow[] = [];
  // Hardhat's funded accounts from #1 (#0 is left alone): a configuration reuses the previous
  // one's first keys, whose nonces simply go on.
  try {
    const configurations = [
      { signers: 1, mintBatch: 1 },
      ...options.signerCounts.map((signers) => ({ signers, mintBatch: DEFAULT_MINT_BATCH })),
    ];
    for (const { signers, mintBatch } of configurations) {
      if (signers > 19) throw new Error("--drop-signers: at most 19 (hardhat's funded accounts)");
      const keys = Array.from({ length: signers }, (_, i) => hardhatKey(1 + i));
      const chain = {
        name: "drop",
        rpcUrl: proxy.url,
        chainId: 31337,
        finality: 2,
        privateKeys: keys,
        mintBatch,
      };
      const cluster = await startCluster(
        { store: "sqlite" },
        { ...settings, env: { ...settings.env, HERALD_CHAINS: JSON.stringify([chain]) } },
      );
      try {
        progress(
          `chain drop: ${options.mints} mints, ${signers} signer(s), up to ${mintBatch} per transaction`,
        );
        const before = snapshot(proxy);
        // One signer mints 16 per block: any configuration gets three times that long (a guard
        // against a hang, not a limit on a slow machine).
        const timeoutMs = Math.max(300_000, (options.mints / 16) * options.blockMs * 3);
        const result = await measureMints(
          cluster.url,
          settings.apiKey,
          options.mints,
          200,
          {
            collection: "/collections/default-drop/nfts",
            recipient: "drop:0x10324e5B8879CA6662ff83617F74b0AaD251b819",
          },
          timeoutMs,
        );
        const drop = since(proxy, before);
        // Idle: the drop's last blocks final and the polls backed off, then nothing to do.
        await new Promise((resolve) => setTimeout(resolve, IDLE_SETTLE_MS));
        const idleStart = snapshot(proxy);
        await new Promise((resolve) => setTimeout(resolve, options.idleSeconds * 1000));
        const idleCalls = since(proxy, idleStart);
        const idle = total(idleCalls);
        progress(
          `  idle ${options.idleSeconds} s: ${[...idleCalls].map(([m, n]) => `${m} ${n}`).join(", ")}`,
        );
        rows.push({
          signers,
          mintBatch,
          mints: options.mints,
          mintsPerSecond: result.mintsPerSecond,
          p50Ms: result.p50,
          p99Ms: result.p99,
          callsPerMint: total(drop) / (options.mints + 1),
          topMethods: [...drop]
            .sort((a, b) => b[1] - a[1])
            .slice(0, 5)
            .map(([m, n]) => [m, n / (options.mints + 1)]),
          idleCallsPerMinute: (idle * 60) / options.idleSeconds,
        });
      } finally {
        await cluster.stop();
      }
    }
  } finally {
    await proxy.close();
    node.stop();
  }
  return rows;
}

export function printChainDrop(rows: DropRow[], blockMs: number): void {
  const reference = rows[0]!;
  console.log(
    `\nChain drop: hardhat node, ${blockMs / 1000}-second blocks, behind a proxy that refuses a sender's 17th pending transaction; 200 mint requests in flight`,
  );
  console.log(
    "signers  batch  mints/s  ×first  p50 ms  p99 ms  RPC calls/mint  idle calls/min  most called (per mint)",
  );
  for (const r of rows) {
    const methods = r.topMethods.map(([m, n]) => `${m} ${n.toFixed(2)}`).join(", ");
    console.log(
      [
        String(r.signers).padStart(7),
        String(r.mintBatch).padStart(6),
        r.mintsPerSecond.toFixed(1).padStart(8),
        `${(r.mintsPerSecond / reference.mintsPerSecond).toFixed(2)}×`.padStart(7),
        r.p50Ms.toFixed(0).padStart(7),
        r.p99Ms.toFixed(0).padStart(7),
        r.callsPerMint.toFixed(2).padStart(15),
        r.idleCallsPerMinute.toFixed(0).padStart(15),
        ` ${methods}`,
      ].join(" "),
    );
  }
}
