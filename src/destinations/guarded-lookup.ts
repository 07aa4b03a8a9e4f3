// The I/O half of the SSRF guard: resolves host names and applies the pure policy to the answers.
import dns from "node:dns";
import { isIP, type LookupFunction } from "node:net";
import {
  checkAddress,
  checkResolvedTarget,
  checkUrlShape,
  type AllowList,
} from "../core/policy/ssrf-policy.js";

export const SSRF_BLOCKED = "ERR_SSRF_BLOCKED";

export class SsrfBlockedError extends Error {
  readonly code = SSRF_BLOCKED;
  constructor(message: string) {
    super(message);
    this.name = "SsrfBlockedError";
  }
}

/**
 * A `lookup` for `net.connect` / undici's `connect` option. Checking here, on the addresses the
 * socket is about to use, defeats DNS rebinding: a name that passed at endpoint creation and
 * later resolves to a private address still cannot be reached.
 */
export function createGuardedLookup(allow: AllowList): LookupFunction {
  return (hostname, options, callback) => {
    // Resolve everything so one private answer among public ones cannot slip through.
    dns.lookup(hostname, { ...options, all: true }, (error, addresses) => {
      const fail = (err: NodeJS.ErrnoException) => callback(err, options.all ? [] : "");
      if (error) return fail(error);
      if (addresses.length === 0) {
        const empty = new Error(`could not resolve host ${hostname}`);
        return fail(Object.assign(empty, { code: "ENOTFOUND" }));
      }
      for (const { address } of addresses) {
        const verdict = checkAddress(address, allow);
        if (!verdict.allowed) {
          return fail(
            new SsrfBlockedError(`${hostname} resolves to ${address}: ${verdict.reason}`),
          );
        }
      }
      // net asks for the list with autoSelectFamily (happy eyeballs), else one address.
      if (options.all) return callback(null, addresses);
      callback(null, addresses[0].address, addresses[0].family);
    });
  };
}

/** Every address a host name resolves to; an IP literal is its own answer. */
export async function resolveAll(host: string): Promise<string[]> {
  if (isIP(host)) return [host];
  const answers = await dns.promises.lookup(host, { all: true });
  return answers.map((answer) => answer.address);
}

/** Whether a webhook URL may be called; run when an endpoint is saved and before each attempt. */
export async function checkUrlTarget(
  url: string,
  allow: AllowList,
  resolve: (host: string) => Promise<string[]> = resolveAll,
): Promise<{ ok: true; url: URL } | { ok: false; reason: string }> {
  const shape = checkUrlShape(url);
  if (!shape.ok) return shape;
  // net.connect never calls `lookup` for IP-literal hosts, so this is their only check.
  let addresses = [shape.host];
  if (!shape.hostIsIp) {
    try {
      addresses = await resolve(shape.host);
    } catch {
      addresses = [];
    }
  }
  const verdict = checkResolvedTarget(shape.url, addresses, allow);
  return verdict.ok ? { ok: true, url: shape.url } : verdict;
}
