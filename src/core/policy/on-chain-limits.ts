// Every value Herald sends to a chain, and the range it may take. The API checks each one
// against this table before anything is stored (a 400 naming the field), so no stored job can
// fail to encode later. Values Herald makes itself (token URIs, token ids read back from the
// chain) and recipients (checked by their chain family) are not user numbers.

export interface IntegerLimit {
  min: number;
  max: number;
  /** How the API describes the range. */
  description: string;
}

export const ON_CHAIN_LIMITS = {
  /** A collection's supply limit: a uint256 in the contract, a safe integer in Herald's records. */
  supplyLimit: {
    min: 0,
    max: Number.MAX_SAFE_INTEGER,
    description: "a whole number from 0 (no limit) to 9007199254740991",
  },
  /** Text given to the contract's constructor (ERC-721 name and symbol), in characters. */
  collectionName: { min: 1, max: 200, description: "1 to 200 characters" },
  collectionSymbol: { min: 1, max: 11, description: "1 to 11 characters" },
} as const satisfies Record<string, IntegerLimit>;

/** Why `value` cannot go to a chain as `field`, or null when it can. */
export function checkWholeNumber(
  field: string,
  value: unknown,
  limit: IntegerLimit,
): string | null {
  if (
    typeof value !== "number" ||
    !Number.isInteger(value) ||
    value < limit.min ||
    value > limit.max
  ) {
    return `${field} must be ${limit.description}`;
  }
  return null;
}
