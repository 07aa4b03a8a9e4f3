// Reward amounts: what Original's API takes (a decimal string, or a JSON number as its SDKs
// send one) turned into the token's integer units, and back. Never through a float: a number is
// read from its shortest decimal form (what JSON.stringify writes), and a string digit by digit.

/** ERC-20 rewards tokens have 18 decimals, as OpenZeppelin's ERC20 and Original's ORI token. */
export const REWARD_DECIMALS = 18;
/** Larger amounts are refused: the contract's uint256 holds far more, but no reward is this big. */
export const MAX_REWARD_UNITS = 10n ** 36n;

export type ParsedAmount = { ok: true; units: bigint } | { ok: false; message: string };

const DECIMAL = /^(\d+)(?:\.(\d+))?$/;

/** A positive amount with at most `decimals` decimals, as integer units. */
export function parseAmount(input: unknown, decimals = REWARD_DECIMALS): ParsedAmount {
  let text: string;
  if (typeof input === "number") {
    if (!Number.isFinite(input)) return { ok: false, message: "amount must be a finite number" };
    text = plainDecimal(input);
  } else if (typeof input === "string") {
    text = input.trim();
  } else {
    return { ok: false, message: "amount must be a decimal string (or a number)" };
  }
  const match = DECIMAL.exec(text);
  if (!match) return { ok: false, message: `amount "${text}" is not a decimal number like "1.23"` };
  const [, whole, fraction = ""] = match;
  const trimmed = fraction.replace(/0+$/, "");
  if (trimmed.length > decimals)
    return { ok: false, message: `amount has more than ${decimals} decimals` };
  const units =
    BigInt(whole!) * 10n ** BigInt(decimals) + BigInt(trimmed.padEnd(decimals, "0") || "0");
  if (units === 0n) return { ok: false, message: "amount must be greater than 0" };
  if (units > MAX_REWARD_UNITS) return { ok: false, message: "amount is too large" };
  return { ok: true, units };
}

/** A number's decimal digits without an exponent (1e-7 → "0.0000001"); negative stays negative
 * (the pattern then refuses it). */
function plainDecimal(value: number): string {
  const text = String(value);
  const exponent = /^(-?)(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(text);
  if (!exponent) return text;
  const [, sign, lead, rest = "", power] = exponent;
  const digits = lead! + rest;
  const point = 1 + Number(power);
  if (point <= 0) return `${sign}0.${"0".repeat(-point)}${digits}`;
  if (point >= digits.length) return `${sign}${digits}${"0".repeat(point - digits.length)}`;
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}

/** Integer units as the shortest decimal string ("1.23", "5", "0.000000000000000001"). */
export function formatAmount(units: bigint, decimals = REWARD_DECIMALS): string {
  const scale = 10n ** BigInt(decimals);
  const whole = units / scale;
  const fraction = (units % scale).toString().padStart(decimals, "0").replace(/0+$/, "");
  return fraction ? `${whole}.${fraction}` : whole.toString();
}
