// The Solana family's pure rules: how a failed transaction is told (errors.ts, over RPC-shaped
// errors and over LiteSVM's real failures), the priority fee by attempt (fees.ts), which
// addresses can receive (address.ts), which operator keys are taken (keys.ts), and a Solana
// HERALD_CHAINS entry (adapter.ts through parseChains).
import assert from "node:assert/strict";
import { test } from "node:test";
import { getCreateAccountInstruction, getTransferSolInstruction } from "@solana-program/system";
import {
  findAssociatedTokenPda,
  getCloseAccountInstruction,
  getMintToInstruction,
  TOKEN_2022_PROGRAM_ADDRESS,
} from "@solana-program/token-2022";
import { getTransactionDecoder, type Address, type Instruction } from "@solana/kit";
import { FailedTransactionMetadata } from "litesvm";
import { CHAIN_ADAPTERS } from "../../src/chain/families.js";
import { parseSolanaAddress } from "../../src/chain/solana/address.js";
import { SOLANA_CHAIN } from "../../src/chain/solana/adapter.js";
import { buildTx, programsOf } from "../../src/chain/solana/build-tx.js";
import { describeTxError, fromLiteSvmError, type TxError } from "../../src/chain/solana/errors.js";
import { FIRST_RAISED_PRICE, priorityFee } from "../../src/chain/solana/fees.js";
import {
  addressOfSeed,
  fromBase58,
  parseSecretKey,
  signerOfSeed,
  toBase58,
} from "../../src/chain/solana/keys.js";
import { openEmbeddedSolana } from "../../src/chain/solana/ledger/embedded-ledger.js";
import { TxRejectedError } from "../../src/chain/solana/ledger/ledger.js";
import {
  ASSOCIATED_TOKEN_PROGRAM,
  COMPUTE_BUDGET_PROGRAM,
  SYSTEM_PROGRAM,
} from "../../src/chain/solana/programs.js";
import { createCollection, mintNft } from "../../src/chain/solana/token/instructions.js";
import { parseChains as parseAnyChains } from "../../src/core/chain/chains.js";

const TOKEN = TOKEN_2022_PROGRAM_ADDRESS;
const MEMO = "MemoSq4gqABAXKb96qnH8TysNcWxMyWCqXgDLGmfcHr";
const GROUP = 3_406_457_176;
const METADATA = 901_952_957;
const hex = (n: number) => `0x${n.toString(16)}`;

/** A fixed seed per number: the tests' keys are the same on every run. */
const seed = (n: number) => Uint8Array.from({ length: 32 }, (_, i) => (i * 7 + n) & 255);

// Token-2022's TokenError 0..19, as its program names them.
const TOKEN_ERRORS_0_19 = [
  "NotRentExempt",
  "InsufficientFunds",
  "InvalidMint",
  "MintMismatch",
  "OwnerMismatch",
  "FixedSupply",
  "AlreadyInUse",
  "InvalidNumberOfProvidedSigners",
  "InvalidNumberOfRequiredSigners",
  "UninitializedState",
  "NativeNotSupported",
  "NonNativeHasBalance",
  "InvalidInstruction",
  "InvalidState",
  "Overflow",
  "AuthorityTypeNotSupported",
  "MintCannotFreeze",
  "AccountFrozen",
  "MintDecimalsMismatch",
  "NonNativeNotSupported",
];
// prettier-ignore
const GROUP_ERRORS = [
  "SizeExceedsNewMaxSize", "SizeExceedsMaxSize", "ImmutableGroup", "IncorrectMintAuthority",
  "IncorrectUpdateAuthority", "MemberAccountIsGroupAccount",
];
// prettier-ignore
const METADATA_ERRORS = [
  "IncorrectAccount", "MintHasNoMintAuthority", "IncorrectMintAuthority",
  "IncorrectUpdateAuthority", "ImmutableMetadata", "KeyNotFound",
];

test("describeTxError over the RPC's error shapes", () => {
  const custom = (index: number, code: number): TxError => ({
    InstructionError: [index, { Custom: code }],
  });
  const rows: Array<[string, TxError, readonly string[], string]> = [
    // name, error, each instruction's program, the line
    ["fieldless", "BlockhashNotFound", [], "transaction failed: BlockhashNotFound"],
    [
      "fieldless, programs ignored",
      "AlreadyProcessed",
      [TOKEN],
      "transaction failed: AlreadyProcessed",
    ],
    ["an unknown fieldless", "SomethingNew", [], "transaction failed: SomethingNew"],
    [
      "with fields",
      { InsufficientFundsForRent: { account_index: 2 } },
      [],
      'transaction failed: InsufficientFundsForRent {"account_index":2}',
    ],
    ["a number", { DuplicateInstruction: 1 }, [], "transaction failed: DuplicateInstruction 1"],
    ["an empty object", {}, [], "transaction failed: unknown error null"],
    [
      "instruction, fieldless",
      { InstructionError: [1, "IncorrectProgramId"] },
      [SYSTEM_PROGRAM, TOKEN],
      "instruction 1 (Token-2022) failed: IncorrectProgramId",
    ],
    [
      "instruction, fieldless BorshIoError (newer agave)",
      { InstructionError: [0, "BorshIoError"] },
      [TOKEN],
      "instruction 0 (Token-2022) failed: BorshIoError",
    ],
    [
      "instruction, BorshIoError with a message",
      { InstructionError: [0, { BorshIoError: "Unknown" }] },
      [TOKEN],
      "instruction 0 (Token-2022) failed: BorshIoError: Unknown",
    ],
    [
      "instruction, an unknown cause shape",
      { InstructionError: [0, { Other: [1, 2] }] },
      [TOKEN],
      'instruction 0 (Token-2022) failed: {"Other":[1,2]}',
    ],
    [
      "instruction beyond the programs given",
      { InstructionError: [3, { Custom: 5 }] },
      [TOKEN],
      "instruction 3 (unknown program) failed: custom program error 0x5",
    ],
    [
      "no programs given",
      { InstructionError: [0, "InvalidArgument"] },
      [],
      "instruction 0 (unknown program) failed: InvalidArgument",
    ],
    [
      "an unknown program: its address, its code in hex",
      custom(0, 6001),
      [MEMO],
      `instruction 0 (${MEMO}) failed: custom program error 0x1771`,
    ],
    [
      "a Token-2022 code on another program is not Token-2022's",
      custom(0, 5),
      [MEMO],
      `instruction 0 (${MEMO}) failed: custom program error 0x5`,
    ],
    [
      "Compute Budget",
      { InstructionError: [0, "InvalidInstructionData"] },
      [COMPUTE_BUDGET_PROGRAM],
      "instruction 0 (Compute Budget) failed: InvalidInstructionData",
    ],
    [
      "Associated Token",
      custom(2, 0),
      [COMPUTE_BUDGET_PROGRAM, COMPUTE_BUDGET_PROGRAM, ASSOCIATED_TOKEN_PROGRAM],
      "instruction 2 (Associated Token) failed: InvalidOwner (0x0)",
    ],
    [
      "Associated Token, unknown code",
      custom(0, 1),
      [ASSOCIATED_TOKEN_PROGRAM],
      "instruction 0 (Associated Token) failed: custom program error 0x1",
    ],
    [
      "Token-2022 beyond 19: MintHasSupply",
      custom(0, 28),
      [TOKEN],
      "instruction 0 (Token-2022) failed: TokenError::MintHasSupply (0x1c)",
    ],
    [
      "Token-2022 beyond 19: ExtensionNotFound",
      custom(0, 48),
      [TOKEN],
      "instruction 0 (Token-2022) failed: TokenError::ExtensionNotFound (0x30)",
    ],
    [
      "Token-2022's last TokenError",
      custom(0, 73),
      [TOKEN],
      "instruction 0 (Token-2022) failed: TokenError::SlotReferenceFeeDestinationMismatch (0x49)",
    ],
    [
      "Token-2022 past its TokenErrors",
      custom(0, 74),
      [TOKEN],
      "instruction 0 (Token-2022) failed: custom program error 0x4a",
    ],
    [
      "just below TokenGroupError",
      custom(0, GROUP - 1),
      [TOKEN],
      `instruction 0 (Token-2022) failed: custom program error ${hex(GROUP - 1)}`,
    ],
    [
      "just past TokenGroupError",
      custom(0, GROUP + 6),
      [TOKEN],
      `instruction 0 (Token-2022) failed: custom program error ${hex(GROUP + 6)}`,
    ],
    [
      "just past TokenMetadataError",
      custom(0, METADATA + 6),
      [TOKEN],
      `instruction 0 (Token-2022) failed: custom program error ${hex(METADATA + 6)}`,
    ],
    [
      "a TokenGroupError code from the System program is not one",
      custom(0, GROUP + 1),
      [SYSTEM_PROGRAM],
      `instruction 0 (System) failed: custom program error ${hex(GROUP + 1)}`,
    ],
  ];
  // Token-2022's TokenError 0..19, TokenGroupError and TokenMetadataError, each code.
  TOKEN_ERRORS_0_19.forEach((name, code) =>
    rows.push([
      `TokenError ${code}`,
      custom(7, code),
      [SYSTEM_PROGRAM, ...Array<string>(7).fill(TOKEN)],
      `instruction 7 (Token-2022) failed: TokenError::${name} (${hex(code)})`,
    ]),
  );
  GROUP_ERRORS.forEach((name, i) =>
    rows.push([
      `TokenGroupError ${i}`,
      custom(0, GROUP + i),
      [TOKEN],
      `instruction 0 (Token-2022) failed: TokenGroupError::${name} (${hex(GROUP + i)})`,
    ]),
  );
  METADATA_ERRORS.forEach((name, i) =>
    rows.push([
      `TokenMetadataError ${i}`,
      custom(0, METADATA + i),
      [TOKEN],
      `instruction 0 (Token-2022) failed: TokenMetadataError::${name} (${hex(METADATA + i)})`,
    ]),
  );
  // prettier-ignore
  const system = [
    "AccountAlreadyInUse", "ResultWithNegativeLamports", "InvalidProgramId",
    "InvalidAccountDataLength", "MaxSeedLengthExceeded", "AddressWithSeedMismatch",
    "NonceNoRecentBlockhashes", "NonceBlockhashNotExpired", "NonceUnexpectedBlockhashValue",
  ];
  system.forEach((name, code) =>
    rows.push([
      `System ${code}`,
      custom(0, code),
      [SYSTEM_PROGRAM],
      `instruction 0 (System) failed: ${name} (${hex(code)})`,
    ]),
  );
  rows.push([
    "System, unknown code",
    custom(0, 9),
    [SYSTEM_PROGRAM],
    "instruction 0 (System) failed: custom program error 0x9",
  ]);
  for (const [name, error, programs, line] of rows) {
    assert.equal(describeTxError(error, programs), line, name);
  }
});

test("Token-2022's errors are named with NODE_ENV=production too", () => {
  // The client's own messages are dropped from production bundles; Herald's names are not.
  const was = process.env.NODE_ENV;
  process.env.NODE_ENV = "production";
  try {
    assert.equal(
      describeTxError({ InstructionError: [0, { Custom: 5 }] }, [TOKEN]),
      "instruction 0 (Token-2022) failed: TokenError::FixedSupply (0x5)",
    );
  } finally {
    if (was === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = was;
  }
});

test("fromLiteSvmError over LiteSVM's error objects", () => {
  // Named as LiteSVM's classes are: the conversion reads the name of those with an account index.
  class TransactionErrorInsufficientFundsForRent {
    constructor(readonly accountIndex: number) {}
  }
  class TransactionErrorProgramExecutionTemporarilyRestricted {
    constructor(readonly accountIndex: number) {}
  }
  class TransactionErrorDuplicateInstruction {
    constructor(readonly index: number) {}
  }
  const instruction = (index: number, inner: unknown) => ({ index, err: () => inner });
  const rows: Array<[string, unknown, TxError]> = [
    ["0: the first fieldless", 0, "AccountInUse"],
    ["6", 6, "AlreadyProcessed"],
    ["7", 7, "BlockhashNotFound"],
    ["11", 11, "SignatureFailure"],
    ["34: the last known", 34, "CommitCancelled"],
    ["35: unknown", 35, "TransactionError(35)"],
    ["instruction, fieldless 0", instruction(1, 0), { InstructionError: [1, "GenericError"] }],
    [
      "instruction, fieldless 6",
      instruction(0, 6),
      { InstructionError: [0, "IncorrectProgramId"] },
    ],
    [
      "instruction, fieldless 51",
      instruction(0, 51),
      { InstructionError: [0, "BuiltinProgramsMustConsumeComputeUnits"] },
    ],
    // LiteSVM 1.5's InstructionErrorFieldless has BorshIoError = 52 (newer agave: fieldless).
    ["instruction, fieldless 52", instruction(0, 52), { InstructionError: [0, "BorshIoError"] }],
    ["instruction, unknown", instruction(0, 99), { InstructionError: [0, "InstructionError(99)"] }],
    [
      "instruction, custom",
      instruction(7, { code: 3_406_457_177 }),
      { InstructionError: [7, { Custom: 3_406_457_177 }] },
    ],
    [
      "instruction, custom 0",
      instruction(2, { code: 0 }),
      { InstructionError: [2, { Custom: 0 }] },
    ],
    [
      "instruction, Borsh IO",
      instruction(3, { msg: "Unknown" }),
      { InstructionError: [3, { BorshIoError: "Unknown" }] },
    ],
    [
      "insufficient funds for rent",
      new TransactionErrorInsufficientFundsForRent(1),
      { InsufficientFundsForRent: { account_index: 1 } },
    ],
    [
      "execution temporarily restricted",
      new TransactionErrorProgramExecutionTemporarilyRestricted(4),
      { ProgramExecutionTemporarilyRestricted: { account_index: 4 } },
    ],
    [
      "duplicate instruction",
      new TransactionErrorDuplicateInstruction(2),
      { DuplicateInstruction: 2 },
    ],
    ["anything else: its text", "strange", "strange"],
  ];
  for (const [name, raw, expected] of rows) {
    assert.deepEqual(fromLiteSvmError(raw), expected, name);
  }
});

test("LiteSVM's real failures, converted and told", async () => {
  const payer = await signerOfSeed(seed(1));
  const cluster = openEmbeddedSolana(null, payer.address);
  try {
    const send = async (instructions: Instruction[], price = 0n) => {
      const tx = await buildTx(payer, instructions, await cluster.latestBlockhash(), price);
      const result = cluster.svm.sendTransaction(getTransactionDecoder().decode(tx.wire));
      return { tx, result, programs: programsOf(instructions, price) };
    };
    /** Sends, expects a failure: the RPC form of it and its line. */
    const fail = async (instructions: Instruction[], price = 0n) => {
      const { result, programs } = await send(instructions, price);
      assert.ok(result instanceof FailedTransactionMetadata, "the transaction failed");
      const error = fromLiteSvmError(result.err());
      return { error, line: describeTxError(error, programs) };
    };
    const ok = async (instructions: Instruction[]) => {
      const sent = await send(instructions);
      assert.ok(!(sent.result instanceof FailedTransactionMetadata), String(sent.result));
      return sent;
    };

    // A collection of at most one member, and its one NFT.
    const collection = await signerOfSeed(seed(2));
    const metadata = { name: "C", symbol: "S", uri: "" };
    await ok(createCollection(payer, collection, metadata, 1n));
    const owner = addressOfSeed(seed(9));
    const nft = async (n: number) => {
      const mint = await signerOfSeed(seed(n));
      const [account] = await findAssociatedTokenPda({
        owner,
        mint: mint.address,
        tokenProgram: TOKEN,
      });
      return {
        mint,
        account,
        instructions: mintNft(payer, mint, collection.address, owner, account, metadata),
      };
    };
    const first = await nft(3);
    const landed = await ok(first.instructions);

    const rows: Array<[string, () => Promise<{ error: TxError; line: string }>, TxError, string]> =
      [
        [
          "a second member of a group of one: TokenGroupError::SizeExceedsMaxSize",
          async () => fail((await nft(4)).instructions),
          { InstructionError: [7, { Custom: GROUP + 1 }] },
          `instruction 7 (Token-2022) failed: TokenGroupError::SizeExceedsMaxSize (${hex(GROUP + 1)})`,
        ],
        [
          "the same with a priority fee: two instructions earlier in the count",
          async () => fail((await nft(5)).instructions, 1_000n),
          { InstructionError: [9, { Custom: GROUP + 1 }] },
          `instruction 9 (Token-2022) failed: TokenGroupError::SizeExceedsMaxSize (${hex(GROUP + 1)})`,
        ],
        [
          "minting more of an NFT: FixedSupply",
          () =>
            fail([
              getMintToInstruction({
                mint: first.mint.address,
                token: first.account,
                mintAuthority: payer,
                amount: 1n,
              }),
            ]),
          { InstructionError: [0, { Custom: 5 }] },
          "instruction 0 (Token-2022) failed: TokenError::FixedSupply (0x5)",
        ],
        [
          "closing a mint with supply: MintHasSupply (beyond the client's 0..19)",
          () =>
            fail([
              getCloseAccountInstruction({
                account: first.mint.address,
                destination: payer.address,
                owner: payer,
              }),
            ]),
          { InstructionError: [0, { Custom: 28 }] },
          "instruction 0 (Token-2022) failed: TokenError::MintHasSupply (0x1c)",
        ],
        [
          "minting into an account that does not exist: IncorrectProgramId",
          () =>
            fail([
              getMintToInstruction({
                mint: collection.address,
                token: addressOfSeed(seed(51)),
                mintAuthority: payer,
                amount: 1n,
              }),
            ]),
          { InstructionError: [0, "IncorrectProgramId"] },
          "instruction 0 (Token-2022) failed: IncorrectProgramId",
        ],
        [
          "an unknown Token-2022 instruction: InvalidInstruction",
          () => fail([{ programAddress: TOKEN, data: new Uint8Array([250]) }]),
          { InstructionError: [0, { Custom: 12 }] },
          "instruction 0 (Token-2022) failed: TokenError::InvalidInstruction (0xc)",
        ],
        [
          "a bad Compute Budget instruction",
          () =>
            fail([
              { programAddress: COMPUTE_BUDGET_PROGRAM as Address, data: new Uint8Array([9]) },
            ]),
          { InstructionError: [0, "InvalidInstructionData"] },
          "instruction 0 (Compute Budget) failed: InvalidInstructionData",
        ],
        [
          "creating an account that exists: System's AccountAlreadyInUse",
          () =>
            fail([
              getCreateAccountInstruction({
                payer,
                newAccount: first.mint,
                lamports: 1_000_000n,
                space: 10,
                programAddress: TOKEN,
              }),
            ]),
          { InstructionError: [0, { Custom: 0 }] },
          "instruction 0 (System) failed: AccountAlreadyInUse (0x0)",
        ],
        [
          "paying more than the payer has: System's ResultWithNegativeLamports",
          () =>
            fail(
              [
                getTransferSolInstruction({
                  source: payer,
                  destination: addressOfSeed(seed(52)),
                  amount: 10n ** 19n,
                }),
              ],
              5n,
            ),
          { InstructionError: [2, { Custom: 1 }] },
          "instruction 2 (System) failed: ResultWithNegativeLamports (0x1)",
        ],
        [
          "one lamport to a new account: InsufficientFundsForRent",
          () =>
            fail([
              getTransferSolInstruction({
                source: payer,
                destination: addressOfSeed(seed(53)),
                amount: 1n,
              }),
            ]),
          { InsufficientFundsForRent: { account_index: 1 } },
          'transaction failed: InsufficientFundsForRent {"account_index":1}',
        ],
        [
          "the same transaction again: AlreadyProcessed",
          async () => {
            const result = cluster.svm.sendTransaction(
              getTransactionDecoder().decode(landed.tx.wire),
            );
            assert.ok(result instanceof FailedTransactionMetadata);
            const error = fromLiteSvmError(result.err());
            return { error, line: describeTxError(error) };
          },
          "AlreadyProcessed",
          "transaction failed: AlreadyProcessed",
        ],
      ];
    for (const [name, run, error, line] of rows) {
      const got = await run();
      assert.deepEqual(got.error, error, name);
      assert.equal(got.line, line, name);
    }

    // A stale blockhash: refused before execution, as the ledger tells it.
    const stale = await buildTx(
      payer,
      [getTransferSolInstruction({ source: payer, destination: owner, amount: 10_000_000n })],
      await cluster.latestBlockhash(),
      0n,
    );
    cluster.advance(1);
    const result = cluster.svm.sendTransaction(getTransactionDecoder().decode(stale.wire));
    assert.ok(result instanceof FailedTransactionMetadata);
    assert.equal(fromLiteSvmError(result.err()), "BlockhashNotFound");
    await assert.rejects(cluster.send(stale.wire), (error: unknown) => {
      assert.ok(error instanceof TxRejectedError);
      assert.equal(error.txError, "BlockhashNotFound");
      return true;
    });
  } finally {
    await cluster.close();
  }
});

test("priorityFee: the base, doubled per expired attempt, up to the ceiling", () => {
  const M = 1_000_000n;
  assert.equal(FIRST_RAISED_PRICE, 1_000n);
  const rows: Array<[string, number, bigint, bigint, bigint]> = [
    // name, attempt, base, max, price
    ["no fee at first", 0, 0n, M, 0n],
    ["a negative attempt is the first", -1, 0n, M, 0n],
    ["no fee: the first raise", 1, 0n, M, 1_000n],
    ["no fee: doubled", 2, 0n, M, 2_000n],
    ["no fee: doubled again", 3, 0n, M, 4_000n],
    ["no fee: 1,000 × 2^9", 10, 0n, M, 512_000n],
    ["no fee: capped", 11, 0n, M, M],
    ["no fee, a ceiling below the first raise", 1, 0n, 500n, 500n],
    ["no fee, a ceiling of 0: never a fee", 5, 0n, 0n, 0n],
    ["a base: as it is at first", 0, 500n, M, 500n],
    ["a base: doubled at once", 1, 500n, M, 1_000n],
    ["a base: 500 × 2^4", 4, 500n, M, 8_000n],
    ["a base: capped", 20, 500n, M, M],
    ["a base above the ceiling: the ceiling", 0, 5n * M, M, M],
    ["a base equal to the ceiling", 0, M, M, M],
    ["a base equal to the ceiling, raised: the ceiling", 3, M, M, M],
    [
      "a huge attempt: the exponent is bounded, the ceiling holds",
      10_000,
      1n,
      2n ** 40n,
      2n ** 32n,
    ],
    ["a huge attempt, no fee", 10_000, 0n, 2n ** 64n, 1_000n * 2n ** 32n],
  ];
  for (const [name, attempt, base, max, price] of rows) {
    assert.equal(priorityFee(attempt, base, max), price, name);
  }
});

test("parseSolanaAddress: on-curve wallets only, in canonical base58", async () => {
  const wallets = [1, 2, 3].map((n) => addressOfSeed(seed(n)));
  // A wallet whose public key starts with a zero byte: its base58 starts with '1'.
  const zeroLed = addressOfSeed(Uint8Array.from({ length: 32 }, (_, i) => (i === 0 ? 238 : 1)));
  assert.match(zeroLed, /^1[^1]/);
  const [ata] = await findAssociatedTokenPda({
    owner: wallets[0]! as Address,
    mint: wallets[1]! as Address,
    tokenProgram: TOKEN,
  });
  const withChar = (address: string, char: string) =>
    `${address.slice(0, 10)}${char}${address.slice(11)}`;
  const notBase58 = (text: string) => `"${text}" is not a Solana address (base58 of 32 bytes)`;
  const length = (text: string, bytes: number) =>
    `"${text}" is not a Solana address: it is ${bytes} bytes, not 32`;
  const thirtyThree = toBase58(Uint8Array.of(1, ...new Uint8Array(32)));
  const short = addressOfSeed(seed(120));
  assert.equal(short.length, 43);
  const long = `${wallets[0]}${"2".repeat(45 - wallets[0]!.length)}`;
  const rows: Array<[string, string, string | null]> = [
    // name, text, error (null: accepted as it is)
    ...wallets.map((w, i): [string, string, null] => [`a wallet (${i})`, w, null]),
    ["a wallet with a leading zero byte", zeroLed, null],
    ["the public key of the zero seed", addressOfSeed(new Uint8Array(32)), null],
    [
      "an associated token account (a PDA)",
      ata,
      `"${ata}" is off the Ed25519 curve (a program-derived address): no wallet can sign for it`,
    ],
    ["the system program", SYSTEM_PROGRAM, "the system program cannot receive tokens"],
    ...["0", "O", "I", "l", "+", "/", " "].map((char): [string, string, string] => {
      const text = withChar(wallets[0]!, char);
      return [`'${char}' is not base58`, text, notBase58(text)];
    }),
    ["empty", "", notBase58("")],
    ["surrounding space is not trimmed", ` ${wallets[0]}`, notBase58(` ${wallets[0]}`)],
    ["45 characters", long, notBase58(long)],
    ["31 bytes", toBase58(seed(4).slice(1)), length(toBase58(seed(4).slice(1)), 31)],
    ["33 bytes", thirtyThree, length(thirtyThree, 33)],
    ["a wallet of 43 characters", short, null],
    // Each leading '1' is a zero byte: one more or one fewer is another length.
    ["a leading '1' dropped", zeroLed.slice(1), length(zeroLed.slice(1), 31)],
    ["a leading '1' added", `1${short}`, length(`1${short}`, 33)],
    ["a leading '1' added to 44 characters", `1${wallets[0]}`, notBase58(`1${wallets[0]}`)],
  ];
  for (const [name, text, error] of rows) {
    const parsed = parseSolanaAddress(text);
    const expected = error === null ? { ok: true, address: text } : { ok: false, message: error };
    assert.deepEqual(parsed, expected, name);
  }
});

test("parseSecretKey: a keypair file, base58 of a keypair or of a seed", () => {
  const key = seed(7);
  const publicKey = fromBase58(addressOfSeed(key));
  const keypair = Uint8Array.from([...key, ...publicKey]);
  const otherPublic = fromBase58(addressOfSeed(seed(8)));
  const MALFORMED = "must be a keypair file's JSON array of 64 numbers, or base58";
  const rows: Array<[string, string, Uint8Array | string]> = [
    // name, text, the seed or why not
    ["a keypair file (JSON array of 64)", JSON.stringify([...keypair]), key],
    ["a keypair file, pretty-printed", `\n${JSON.stringify([...keypair], null, 2)}\n`, key],
    ["base58 of the 64 bytes", toBase58(keypair), key],
    ["base58 of the 64 bytes, surrounded by space", `  ${toBase58(keypair)}\n`, key],
    ["base58 of the 32-byte seed", toBase58(key), key],
    ["a JSON array of the 32-byte seed", JSON.stringify([...key]), key],
    [
      "a keypair whose public half is another key's",
      JSON.stringify([...key, ...otherPublic]),
      "its public half does not match its private half",
    ],
    [
      "base58 of a keypair with a mismatched public half",
      toBase58(Uint8Array.from([...key, ...otherPublic])),
      "its public half does not match its private half",
    ],
    ["garbage", "not a key!", MALFORMED],
    ["broken JSON", "[1, 2,", MALFORMED],
    ["a JSON object", '{"secretKey":[1,2]}', MALFORMED],
    ["a JSON array of text", JSON.stringify([...keypair].map(String)), MALFORMED],
    ["a JSON array with 256 in it", JSON.stringify([256, ...keypair.slice(1)]), MALFORMED],
    ["a JSON array with -1 in it", JSON.stringify([-1, ...keypair.slice(1)]), MALFORMED],
    ["a JSON array with 1.5 in it", JSON.stringify([1.5, ...key.slice(1)]), MALFORMED],
    [
      "a JSON array of 10",
      JSON.stringify([...key.slice(0, 10)]),
      "must be 64 bytes (a keypair) or 32 (a seed), not 10",
    ],
    [
      "base58 of 33 bytes",
      toBase58(Uint8Array.of(1, ...key)),
      "must be 64 bytes (a keypair) or 32 (a seed), not 33",
    ],
    ["empty", "", "must be 64 bytes (a keypair) or 32 (a seed), not 0"],
    ["hex is not base58", Buffer.from(key).toString("hex"), MALFORMED],
  ];
  for (const [name, text, expected] of rows) {
    const parsed = parseSecretKey(text);
    if (typeof expected === "string") assert.equal(parsed, expected, name);
    else assert.deepEqual(parsed, expected, name);
  }
});

test("a Solana HERALD_CHAINS entry: defaults, and errors that name the field", () => {
  const parseChains = (text: string) => parseAnyChains(text, CHAIN_ADAPTERS);
  // Crossmint's names on Solana (mintAddress, mintHash), the same on every Solana chain.
  const NAMES = SOLANA_CHAIN.onChainNames;
  const rpc = (name: string, rpcUrl: string, more: object = {}) => ({
    name,
    family: "solana",
    chainId: 0,
    confirmations: 1,
    finality: 1,
    rpcUrl,
    replaceAfterMs: 30_000,
    commitment: "confirmed",
    onChainNames: NAMES,
    computeUnitPrice: 1_000,
    maxComputeUnitPrice: 1_000_000,
    ...more,
  });
  const key = seed(7);
  const rows: Array<[string, unknown[], object[]]> = [
    // name, HERALD_CHAINS, the chains
    ["the embedded cluster as it is", [{ name: "solana" }], [SOLANA_CHAIN]],
    [
      "the embedded cluster's settings",
      [{ name: "solana", confirmations: 3, commitment: "finalized", computeUnitPrice: 5 }],
      [
        {
          ...SOLANA_CHAIN,
          confirmations: 3,
          finality: 3,
          commitment: "finalized",
          computeUnitPrice: 5,
        },
      ],
    ],
    [
      "an RPC cluster: a small priority fee from the first attempt",
      [{ name: "devnet", family: "solana", rpcUrl: "https://api.devnet.solana.com" }],
      [rpc("devnet", "https://api.devnet.solana.com")],
    ],
    [
      "`solana` with an rpcUrl takes the embedded name over",
      [{ name: "solana", rpcUrl: "https://api.mainnet-beta.solana.com" }],
      [rpc("solana", "https://api.mainnet-beta.solana.com")],
    ],
    [
      "finalized, a wsUrl, a price above the default ceiling (the ceiling follows)",
      [
        {
          name: "mainnet",
          family: "solana",
          rpcUrl: "https://rpc.example",
          commitment: "finalized",
          wsUrl: "wss://rpc.example",
          computeUnitPrice: 2_000_000,
          confirmations: 2,
        },
      ],
      [
        rpc("mainnet", "https://rpc.example", {
          commitment: "finalized",
          wsUrl: "wss://rpc.example",
          computeUnitPrice: 2_000_000,
          maxComputeUnitPrice: 2_000_000,
          confirmations: 2,
          finality: 2,
        }),
      ],
    ],
    [
      "a price of 0 and a ceiling of its own; the largest price",
      [
        {
          name: "a",
          family: "solana",
          rpcUrl: "http://a",
          computeUnitPrice: 0,
          maxComputeUnitPrice: 7,
        },
        { name: "b", family: "solana", rpcUrl: "http://b", computeUnitPrice: 1_000_000_000 },
      ],
      [
        rpc("a", "http://a", { computeUnitPrice: 0, maxComputeUnitPrice: 7 }),
        rpc("b", "http://b", {
          computeUnitPrice: 1_000_000_000,
          maxComputeUnitPrice: 1_000_000_000,
        }),
      ],
    ],
    [
      "a price of null is not given: the default",
      [{ name: "n", family: "solana", rpcUrl: "http://n", computeUnitPrice: null }],
      [rpc("n", "http://n")],
    ],
    [
      "an operator key, as a keypair file: kept as the seed's hex",
      [
        {
          name: "d",
          family: "solana",
          rpcUrl: "http://d",
          privateKey: JSON.stringify([...key, ...fromBase58(addressOfSeed(key))]),
        },
      ],
      [rpc("d", "http://d", { privateKey: Buffer.from(key).toString("hex") })],
    ],
    [
      "the EVM `local` beside `solana`",
      [{ name: "solana" }, { name: "local" }],
      [SOLANA_CHAIN, { name: "local", family: "evm" }],
    ],
  ];
  for (const [name, entries, chains] of rows) {
    const parsed = parseChains(JSON.stringify(entries));
    assert.equal(parsed.length, chains.length, name);
    parsed.forEach((chain, i) => {
      const expected = chains[i]!;
      // The EVM entry only by its name and family; Solana's in full.
      if ((expected as { family: string }).family === "evm") {
        assert.equal(chain.family, "evm", name);
      } else assert.deepEqual(chain, expected, name);
    });
  }

  const BAD = 'chain 1 (solana): commitment must be "confirmed" or "finalized"';
  const price = (field: string) =>
    new RegExp(`^chain 1 \\(x\\): ${field} must be a whole number from 0 to 1000000000$`);
  const x = (more: object) =>
    JSON.stringify([{ name: "x", family: "solana", rpcUrl: "http://x", ...more }]);
  const bad: Array<[string, string, RegExp | string]> = [
    ["processed", JSON.stringify([{ name: "solana", commitment: "processed" }]), BAD],
    ["a commitment of another type", JSON.stringify([{ name: "solana", commitment: 1 }]), BAD],
    ["a negative price", x({ computeUnitPrice: -1 }), price("computeUnitPrice")],
    ["a fractional price", x({ computeUnitPrice: 1.5 }), price("computeUnitPrice")],
    ["a huge price", x({ computeUnitPrice: 1_000_000_001 }), price("computeUnitPrice")],
    ["a price as text", x({ computeUnitPrice: "5" }), price("computeUnitPrice")],
    ["a negative ceiling", x({ maxComputeUnitPrice: -5 }), price("maxComputeUnitPrice")],
    ["a huge ceiling", x({ maxComputeUnitPrice: 2 ** 53 }), price("maxComputeUnitPrice")],
    [
      "a ceiling below the price",
      x({ computeUnitPrice: 100, maxComputeUnitPrice: 99 }),
      "chain 1 (x): maxComputeUnitPrice is below computeUnitPrice",
    ],
    [
      "a ceiling below the RPC default price",
      x({ maxComputeUnitPrice: 10 }),
      "chain 1 (x): maxComputeUnitPrice is below computeUnitPrice",
    ],
    ["an http wsUrl", x({ wsUrl: "https://x" }), "chain 1 (x): wsUrl must be a ws(s) URL"],
    ["a wsUrl of another type", x({ wsUrl: 5 }), "chain 1 (x): wsUrl must be a ws(s) URL"],
    [
      "a mismatched operator key",
      x({ privateKey: JSON.stringify([...key, ...fromBase58(addressOfSeed(seed(8)))]) }),
      "chain 1 (x): privateKey its public half does not match its private half",
    ],
    [
      "an operator key of another type",
      x({ privateKey: 5 }),
      "chain 1 (x): privateKey must be text",
    ],
    [
      "the embedded cluster takes no family of another",
      JSON.stringify([{ name: "solana", family: "evm" }]),
      /rpcUrl must be an http\(s\) or ws\(s\) URL/,
    ],
    [
      "an RPC cluster needs an rpcUrl",
      JSON.stringify([{ name: "devnet", family: "solana" }]),
      "chain 1 (devnet): rpcUrl must be an http(s) or ws(s) URL",
    ],
  ];
  for (const [name, text, message] of bad) {
    assert.throws(
      () => parseChains(text),
      (error: Error) => {
        if (typeof message === "string") assert.equal(error.message, message, name);
        else assert.match(error.message, message, name);
        return true;
      },
      name,
    );
  }
});
