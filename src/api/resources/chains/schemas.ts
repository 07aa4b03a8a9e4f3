import { Type } from "@sinclair/typebox";
import { Nullable, named, ref } from "../shared.js";

export const ChainSigner = named(
  "ChainSigner",
  Type.Object({
    address: Type.String(),
    balance: Nullable(
      Type.String({ description: "In the native coin, decimal text; null: not read yet" }),
    ),
    nonce: Nullable(Type.Integer({ description: "The next nonce (EVM)" })),
    pending: Type.Integer({ description: "Transactions sent and not yet mined" }),
    funded: Type.Boolean({ description: "Given new work (above signerBalanceLow)" }),
  }),
);

export const ChainStatus = named(
  "ChainStatus",
  Type.Object({
    name: Type.String(),
    family: Type.String({ description: "evm or solana" }),
    chainId: Nullable(Type.Integer()),
    embedded: Type.Boolean({ description: "Runs in Herald's process (local, solana)" }),
    confirmations: Type.Integer(),
    finality: Type.Integer(),
    running: Type.Boolean({
      description:
        "This process runs the chain, so head and signers are live; false: not started (no work yet) or run by another process",
    }),
    head: Nullable(Type.Integer({ description: "Latest block number (EVM) or block height" })),
    signers: Type.Array(ref(ChainSigner)),
    nodes: Type.Optional(
      Type.Array(
        Type.Object({
          up: Type.Boolean(),
          head: Nullable(Type.Integer()),
          lagging: Type.Boolean(),
        }),
        { description: "Each of rpcUrls, in order (URLs are not shown: they may hold keys)" },
      ),
    ),
    jobs: Type.Object(
      { queued: Type.Integer(), sent: Type.Integer(), confirmed: Type.Integer() },
      { description: "This project's unfinished chain jobs" },
    ),
  }),
);

export const ChainList = named("ChainList", Type.Object({ data: Type.Array(ref(ChainStatus)) }));

export const components = [ChainSigner, ChainStatus, ChainList];
