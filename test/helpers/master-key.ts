import assert from "node:assert/strict";
import { Webhook } from "standardwebhooks";
import { privateKeyToAccount } from "viem/accounts";
import { SecretBox, parseMasterKey } from "../../src/core/runtime/secret-box.js";
import type { CliResult } from "./child-herald.js";
import type { ReceivedRequest } from "./receiver.js";

// What the master key tests check of processes, whatever the store.

/** `herald start` refused the master key: by itself, non-zero, one stderr line saying what to do. */
export function assertRefusedKey(result: CliResult, what: string): string {
  assert.equal(result.signal, null, `${what}: exits by itself`);
  assert.notEqual(result.code, 0, `${what}: exit code`);
  const lines = result.stderr.split("\n").filter((line) => line.trim() !== "");
  assert.equal(lines.length, 1, `${what}: one line, got:\n${result.stderr}`);
  assert.match(lines[0]!, /HERALD_MASTER_KEY/, what);
  assert.match(lines[0]!, /herald rotate-master-key/, what);
  assert.doesNotMatch(result.stderr, /\n\s+at /, `${what}: no stack trace`);
  return lines[0]!;
}

/** The request is signed with the endpoint's secret (the receiver's own library checks). */
export function assertSignedWith(secret: string, request: ReceivedRequest): void {
  const headers = Object.fromEntries(
    Object.entries(request.headers).map(([name, value]) => [name, String(value)]),
  );
  assert.doesNotThrow(() => new Webhook(secret).verify(request.body, headers));
}

/** The stored signer key opens with `key` and is the key of the stored address. */
export function assertSignerOpens(
  key: string,
  account: { address: string; private_key_enc: string },
): void {
  const privateKey = new SecretBox(parseMasterKey(key)).open(account.private_key_enc);
  assert.equal(privateKeyToAccount(privateKey as `0x${string}`).address, account.address);
}
