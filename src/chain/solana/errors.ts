// A failed Solana transaction's error, in the JSON form Solana's RPC reports it
// (`"BlockhashNotFound"`, `{"InstructionError":[4,{"Custom":5}]}`), turned into one line a
// webhook can carry: which instruction of which program, and the program's own error name.
// LiteSVM's error objects are converted to the same form first (fromLiteSvmError). Pure.
import { TOKEN_2022_PROGRAM_ADDRESS } from "@solana-program/token-2022";
import { ASSOCIATED_TOKEN_PROGRAM, SYSTEM_PROGRAM, COMPUTE_BUDGET_PROGRAM } from "./programs.js";

/** Solana's TransactionError as its RPC serializes it. */
export type TxError = string | Record<string, unknown>;

// The order of agave's TransactionError's fieldless variants: LiteSVM reports them by number.
// prettier-ignore
const TRANSACTION_ERRORS = [
  "AccountInUse", "AccountLoadedTwice", "AccountNotFound", "ProgramAccountNotFound",
  "InsufficientFundsForFee", "InvalidAccountForFee", "AlreadyProcessed", "BlockhashNotFound",
  "CallChainTooDeep", "MissingSignatureForFee", "InvalidAccountIndex", "SignatureFailure",
  "InvalidProgramForExecution", "SanitizeFailure", "ClusterMaintenance", "AccountBorrowOutstanding",
  "WouldExceedMaxBlockCostLimit", "UnsupportedVersion", "InvalidWritableAccount",
  "WouldExceedMaxAccountCostLimit", "WouldExceedAccountDataBlockLimit", "TooManyAccountLocks",
  "AddressLookupTableNotFound", "InvalidAddressLookupTableOwner", "InvalidAddressLookupTableData",
  "InvalidAddressLookupTableIndex", "InvalidRentPayingAccount", "WouldExceedMaxVoteCostLimit",
  "WouldExceedAccountDataTotalLimit", "MaxLoadedAccountsDataSizeExceeded", "ResanitizationNeeded",
  "InvalidLoadedAccountsDataSizeLimit", "UnbalancedTransaction", "ProgramCacheHitMaxLimit",
  "CommitCancelled",
];

// The order of agave's InstructionError's fieldless variants.
// prettier-ignore
const INSTRUCTION_ERRORS = [
  "GenericError", "InvalidArgument", "InvalidInstructionData", "InvalidAccountData",
  "AccountDataTooSmall", "InsufficientFunds", "IncorrectProgramId", "MissingRequiredSignature",
  "AccountAlreadyInitialized", "UninitializedAccount", "UnbalancedInstruction", "ModifiedProgramId",
  "ExternalAccountLamportSpend", "ExternalAccountDataModified", "ReadonlyLamportChange",
  "ReadonlyDataModified", "DuplicateAccountIndex", "ExecutableModified", "RentEpochModified",
  "NotEnoughAccountKeys", "AccountDataSizeChanged", "AccountNotExecutable", "AccountBorrowFailed",
  "AccountBorrowOutstanding", "DuplicateAccountOutOfSync", "InvalidError", "ExecutableDataModified",
  "ExecutableLamportChange", "ExecutableAccountNotRentExempt", "UnsupportedProgramId", "CallDepth",
  "MissingAccount", "ReentrancyNotAllowed", "MaxSeedLengthExceeded", "InvalidSeeds", "InvalidRealloc",
  "ComputationalBudgetExceeded", "PrivilegeEscalation", "ProgramEnvironmentSetupFailure",
  "ProgramFailedToComplete", "ProgramFailedToCompile", "Immutable", "IncorrectAuthority",
  "AccountNotRentExempt", "InvalidAccountOwner", "ArithmeticOverflow", "UnsupportedSysvar",
  "IllegalOwner", "MaxAccountsDataAllocationsExceeded", "MaxAccountsExceeded",
  "MaxInstructionTraceLengthExceeded", "BuiltinProgramsMustConsumeComputeUnits", "BorshIoError",
];

// Token-2022's own errors (spl_token_2022_interface::error::TokenError), in enum order. The
// client's getToken2022ErrorMessage knows only 0..19, and with NODE_ENV=production it answers
// "Error message not available in production bundles." for every code.
// prettier-ignore
const TOKEN_ERRORS = [
  "NotRentExempt", "InsufficientFunds", "InvalidMint", "MintMismatch", "OwnerMismatch",
  "FixedSupply", "AlreadyInUse", "InvalidNumberOfProvidedSigners", "InvalidNumberOfRequiredSigners",
  "UninitializedState", "NativeNotSupported", "NonNativeHasBalance", "InvalidInstruction",
  "InvalidState", "Overflow", "AuthorityTypeNotSupported", "MintCannotFreeze", "AccountFrozen",
  "MintDecimalsMismatch", "NonNativeNotSupported", "ExtensionTypeMismatch", "ExtensionBaseMismatch",
  "ExtensionAlreadyInitialized", "ConfidentialTransferAccountHasBalance",
  "ConfidentialTransferAccountNotApproved", "ConfidentialTransferDepositsAndTransfersDisabled",
  "ConfidentialTransferElGamalPubkeyMismatch", "ConfidentialTransferBalanceMismatch",
  "MintHasSupply", "NoAuthorityExists", "TransferFeeExceedsMaximum", "MintRequiredForTransfer",
  "FeeMismatch", "FeeParametersMismatch", "ImmutableOwner", "AccountHasWithheldTransferFees",
  "NoMemo", "NonTransferable", "NonTransferableNeedsImmutableOwnership",
  "MaximumPendingBalanceCreditCounterExceeded", "MaximumDepositAmountExceeded",
  "CpiGuardSettingsLocked", "CpiGuardTransferBlocked", "CpiGuardBurnBlocked",
  "CpiGuardCloseAccountBlocked", "CpiGuardApproveBlocked", "CpiGuardSetAuthorityBlocked",
  "CpiGuardOwnerChangeBlocked", "ExtensionNotFound", "NonConfidentialTransfersDisabled",
  "ConfidentialTransferFeeAccountHasWithheldFee", "InvalidExtensionCombination",
  "InvalidLengthForAlloc", "AccountDecryption", "ProofGeneration", "InvalidProofInstructionOffset",
  "HarvestToMintDisabled", "SplitProofContextStateAccountsNotSupported",
  "NotEnoughProofContextStateAccounts", "MalformedCiphertext", "CiphertextArithmeticFailed",
  "PedersenCommitmentMismatch", "RangeProofLengthMismatch", "IllegalBitLength", "FeeCalculation",
  "IllegalMintBurnConversion", "InvalidScale", "MintPaused", "PendingBalanceNonZero",
  "SlotReferenceFeeMintNotWritable", "AccountHasWithheldSlotReferenceFees",
  "SlotReferenceFeeExceedsMaximum", "SlotReferenceFeeInvalidSink",
  "SlotReferenceFeeDestinationMismatch",
];

// Token-2022's interface errors have codes of their own (a hash prefix), then the enum order.
// prettier-ignore
const TOKEN_GROUP_ERRORS = [
  "SizeExceedsNewMaxSize", "SizeExceedsMaxSize", "ImmutableGroup", "IncorrectMintAuthority",
  "IncorrectUpdateAuthority", "MemberAccountIsGroupAccount",
];
const TOKEN_GROUP_BASE = 3_406_457_176;
// prettier-ignore
const TOKEN_METADATA_ERRORS = [
  "IncorrectAccount", "MintHasNoMintAuthority", "IncorrectMintAuthority",
  "IncorrectUpdateAuthority", "ImmutableMetadata", "KeyNotFound",
];
const TOKEN_METADATA_BASE = 901_952_957;
// prettier-ignore
const SYSTEM_ERRORS = [
  "AccountAlreadyInUse", "ResultWithNegativeLamports", "InvalidProgramId",
  "InvalidAccountDataLength", "MaxSeedLengthExceeded", "AddressWithSeedMismatch",
  "NonceNoRecentBlockhashes", "NonceBlockhashNotExpired", "NonceUnexpectedBlockhashValue",
];
const ASSOCIATED_TOKEN_ERRORS = ["InvalidOwner"];

/** A program's custom error code by name, where Herald knows the program. */
function customError(program: string | undefined, code: number): string {
  const hex = `0x${code.toString(16)}`;
  if (program === TOKEN_2022_PROGRAM_ADDRESS) {
    if (code >= TOKEN_GROUP_BASE && code < TOKEN_GROUP_BASE + TOKEN_GROUP_ERRORS.length) {
      return `TokenGroupError::${TOKEN_GROUP_ERRORS[code - TOKEN_GROUP_BASE]} (${hex})`;
    }
    if (code >= TOKEN_METADATA_BASE && code < TOKEN_METADATA_BASE + TOKEN_METADATA_ERRORS.length) {
      return `TokenMetadataError::${TOKEN_METADATA_ERRORS[code - TOKEN_METADATA_BASE]} (${hex})`;
    }
    if (TOKEN_ERRORS[code]) return `TokenError::${TOKEN_ERRORS[code]} (${hex})`;
  }
  const table =
    program === SYSTEM_PROGRAM
      ? SYSTEM_ERRORS
      : program === ASSOCIATED_TOKEN_PROGRAM
        ? ASSOCIATED_TOKEN_ERRORS
        : [];
  return table[code] ? `${table[code]} (${hex})` : `custom program error ${hex}`;
}

const PROGRAM_NAMES: Record<string, string> = {
  [TOKEN_2022_PROGRAM_ADDRESS]: "Token-2022",
  [SYSTEM_PROGRAM]: "System",
  [ASSOCIATED_TOKEN_PROGRAM]: "Associated Token",
  [COMPUTE_BUDGET_PROGRAM]: "Compute Budget",
};

/** What went wrong, in one line. `programs`: each instruction's program, in order. */
export function describeTxError(error: TxError, programs: readonly string[] = []): string {
  if (typeof error === "string") return `transaction failed: ${error}`;
  const [kind, detail] = Object.entries(error)[0] ?? ["unknown error", null];
  if (kind === "InstructionError" && Array.isArray(detail)) {
    const [index, cause] = detail as [number, unknown];
    const program = programs[index];
    const name = program ? (PROGRAM_NAMES[program] ?? program) : "unknown program";
    let what: string;
    if (typeof cause === "string") what = cause;
    else if (cause && typeof cause === "object" && "Custom" in cause) {
      what = customError(program, Number((cause as { Custom: number }).Custom));
    } else if (cause && typeof cause === "object" && "BorshIoError" in cause) {
      what = `BorshIoError: ${String((cause as { BorshIoError: unknown }).BorshIoError)}`;
    } else what = JSON.stringify(cause);
    return `instruction ${index} (${name}) failed: ${what}`;
  }
  return `transaction failed: ${kind} ${JSON.stringify(detail)}`;
}

/** LiteSVM's error object (see its `FailedTransactionMetadata.err()`) in the RPC's form. */
export function fromLiteSvmError(err: unknown): TxError {
  if (typeof err === "number") return TRANSACTION_ERRORS[err] ?? `TransactionError(${err})`;
  const e = err as Record<string, unknown> & { err?: () => unknown };
  if (typeof e.index === "number" && typeof e.err === "function") {
    const inner = e.err();
    const cause =
      typeof inner === "number"
        ? (INSTRUCTION_ERRORS[inner] ?? `InstructionError(${inner})`)
        : typeof (inner as { code?: unknown }).code === "number"
          ? { Custom: (inner as { code: number }).code }
          : { BorshIoError: String((inner as { msg?: unknown }).msg ?? "") };
    return { InstructionError: [e.index, cause] };
  }
  if (typeof e.accountIndex === "number") {
    const kind = String(e.constructor?.name ?? "").replace(/^TransactionError/, "");
    return { [kind || "TransactionError"]: { account_index: e.accountIndex } };
  }
  if (typeof e.index === "number") return { DuplicateInstruction: e.index };
  return String(err);
}
