// The I/O half of the SSRF guard: resolves host names and applies the pure policy to the answers.
import dns from "node:dns";
import { isIP, type LookupFunction } from "node:net";
import {
  checkAddress,
  checkHostAddresses,
  checkResolvedTarget,
  checkUrlShape,
  type AllowList,
  type HostOwner,
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
 * A `lookup` for `net.connect` / `tls.connect` (and so for undici, node:http agents, amqplib).
 * Checking here, on the addresses the socket is about to use, judges the host the client library
 * actually dials, whatever name it chose, and defeats DNS rebinding: a name that passed at
 * endpoint creation and later resolves to a private address still cannot be reached.
 */
export function createGuardedLookup(allow: AllowList, owner: HostOwner = "tenant"): LookupFunction {
  return (hostname, options, callback) => {
    // Resolve everything so one private answer among public ones cannot slip through.
    // (dns.lookup is read at call time: tests replace it to answer without real DNS.)
    dns.lookup(hostname, { ...options, all: true }, (error, addresses) => {
      const fail = (err: NodeJS.ErrnoException) => callback(err, options.all ? [] : "");
      if (error) return fail(error);
      if (addresses.length === 0) {
        const empty = new Error(`could not resolve host ${hostname}`);
        return fail(Object.assign(empty, { code: "ENOTFOUND" }));
      }
      const ips = addresses.map(({ address }) => address);
      const verdict = checkHostAddresses(hostname, ips, allow, owner);
      if (!verdict.ok) return fail(new SsrfBlockedError(verdict.reason));
      // net asks for the list with autoSelectFamily (happy eyeballs), else one address.
      if (options.all) return callback(null, addresses);
      callback(null, addresses[0].address, addresses[0].family);
    });
  };
}

/**
 * The guard's verdict on a host net would connect to without calling `lookup`: an IP literal
 * (brackets allowed). Null for names (the guarded lookup judges those) and allowed addresses.
 */
export function refuseIpLiteral(
  host: string,
  allow: AllowList,
  owner: HostOwner = "tenant",
): SsrfBlockedError | null {
  const bare = host.replace(/^\[(.*)\]$/, "$1");
  if (isIP(bare) === 0) return null;
  const verdict = checkAddress(bare, allow, owner);
  return verdict.allowed ? null : new SsrfBlockedError(verdict.reason);
}

/** How the checks made when an endpoint is saved resolve names (tests pass a stub). */
export type ResolveHost = (host: string) => Promise<string[]>;

/** Every address a host name resolves to; an IP literal is its own answer. */
export function resolveAll(host: string): Promise<string[]> {
  if (isIP(host)) return Promise.resolve([host]);
  // The same dns.lookup the guarded lookup uses, so one resolver answers both checks.
  return new Promise((resolve, reject) => {
    dns.lookup(host, { all: true }, (error, answers) =>
      error ? reject(error) : resolve(answers.map((answer) => answer.address)),
    );
  });
}

/** Whether a webhook URL may be called; run when an endpoint is saved and before each attempt. */
export async function checkUrlTarget(
  url: string,
  allow: AllowList,
  resolve: ResolveHost = resolveAll,
  owner: HostOwner = "tenant",
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
  const verdict = checkResolvedTarget(shape.url, addresses, allow, owner);
  return verdict.ok ? { ok: true, url: shape.url } : verdict;
}
