// Which network destinations Herald may connect to. Pure: the caller resolves host names and
// passes the addresses in, so the same rules apply at endpoint creation and at connect time
// (where they judge the addresses a socket is about to connect to, whatever name it was given).
import ipaddr from "ipaddr.js";

type Address = ipaddr.IPv4 | ipaddr.IPv6;
type Cidr = [Address, number];

/** CIDRs the operator has exempted from the SSRF guard (HERALD_ALLOW_PRIVATE_NETWORKS). */
export type AllowList = readonly Cidr[];

const ALLOW_SETTING = "HERALD_ALLOW_PRIVATE_NETWORKS";

const cidrs = (...texts: string[]): Cidr[] => texts.map((text) => ipaddr.parseCIDR(text));

// First match names the range, so 255.255.255.255 must precede 240.0.0.0/4.
const BLOCKED_V4: [range: string, cidrs: Cidr[]][] = [
  ["unspecified", cidrs("0.0.0.0/8")],
  ["loopback", cidrs("127.0.0.0/8")],
  ["private", cidrs("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16")],
  ["link-local", cidrs("169.254.0.0/16")],
  ["carrier-grade NAT", cidrs("100.64.0.0/10")],
  ["multicast", cidrs("224.0.0.0/4")],
  ["broadcast", cidrs("255.255.255.255/32")],
  ["documentation", cidrs("192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24")],
  ["benchmarking", cidrs("198.18.0.0/15")],
  ["reserved", cidrs("192.0.0.0/24", "240.0.0.0/4")],
];

const BLOCKED_V6: [range: string, cidrs: Cidr[]][] = [
  ["unspecified", cidrs("::/128")],
  ["loopback", cidrs("::1/128")],
  ["discard-only", cidrs("100::/64")],
  ["documentation", cidrs("2001:db8::/32", "3fff::/20")],
  ["benchmarking", cidrs("2001:2::/48")],
  ["unique-local", cidrs("fc00::/7")],
  ["link-local", cidrs("fe80::/10")],
  ["site-local", cidrs("fec0::/10")],
  ["multicast", cidrs("ff00::/8")],
];

// Only 2000::/3 is allocated as global unicast; everything else outside the named ranges
// (IPv4-compatible ::/96, local-use NAT64 64:ff9b:1::/48, unassigned space) is refused.
const [GLOBAL_UNICAST_V6] = cidrs("2000::/3");

const v4FromWords = (high: number, low: number) =>
  new ipaddr.IPv4([high >> 8, high & 0xff, low >> 8, low & 0xff]);

// IPv6 forms that deliver to an IPv4 destination are judged by that destination.
const EMBEDDED_V4: [form: string, cidr: Cidr, extract: (words: number[]) => ipaddr.IPv4][] = [
  ["IPv4-mapped", ipaddr.parseCIDR("::ffff:0:0/96"), (w) => v4FromWords(w[6], w[7])],
  ["IPv4-translated", ipaddr.parseCIDR("::ffff:0:0:0/96"), (w) => v4FromWords(w[6], w[7])],
  ["NAT64", ipaddr.parseCIDR("64:ff9b::/96"), (w) => v4FromWords(w[6], w[7])],
  ["6to4", ipaddr.parseCIDR("2002::/16"), (w) => v4FromWords(w[1], w[2])],
  // Teredo stores the client's IPv4 address bit-inverted in the last 32 bits.
  ["Teredo", ipaddr.parseCIDR("2001::/32"), (w) => v4FromWords(~w[6] & 0xffff, ~w[7] & 0xffff)],
];

interface BlockedRange {
  range: string;
  embedded?: { form: string; ipv4: string };
}

const inAny = (address: Address, list: readonly Cidr[]) =>
  list.some(([network, bits]) => network.kind() === address.kind() && address.match(network, bits));

function findBlockedRange(address: Address): BlockedRange | null {
  if (address instanceof ipaddr.IPv4) {
    const named = BLOCKED_V4.find(([, list]) => inAny(address, list));
    return named ? { range: named[0] } : null;
  }
  for (const [form, cidr, extract] of EMBEDDED_V4) {
    if (!inAny(address, [cidr])) continue;
    const ipv4 = extract(address.parts);
    const inner = findBlockedRange(ipv4);
    return inner && { range: inner.range, embedded: { form, ipv4: ipv4.toString() } };
  }
  const named = BLOCKED_V6.find(([, list]) => inAny(address, list));
  if (named) return { range: named[0] };
  return inAny(address, [GLOBAL_UNICAST_V6]) ? null : { range: "reserved" };
}

function parseAddress(ip: string): Address | null {
  try {
    return ipaddr.parse(ip);
  } catch {
    return null;
  }
}

/** Exempted addresses must be listed explicitly: a CIDR, or a bare IP meaning just that host. */
export function parseAllowList(text: string | undefined): AllowList {
  const entries = (text ?? "")
    .split(",")
    .map((entry) => entry.trim())
    .filter((entry) => entry !== "");
  return entries.map((entry): Cidr => {
    // Strict forms only: ipaddr would read "10" as 0.0.0.10, which no operator means.
    if (ipaddr.IPv4.isValidCIDRFourPartDecimal(entry) || ipaddr.IPv6.isValidCIDR(entry)) {
      return ipaddr.parseCIDR(entry);
    }
    if (ipaddr.IPv4.isValidFourPartDecimal(entry)) return [ipaddr.IPv4.parse(entry), 32];
    if (ipaddr.IPv6.isValid(entry)) return [ipaddr.IPv6.parse(entry), 128];
    throw new Error(`${ALLOW_SETTING}: "${entry}" is not a CIDR`);
  });
}

export function isAllowListed(ip: string, allow: AllowList): boolean {
  const address = parseAddress(ip);
  if (!address) return false;
  // ::ffff:10.0.0.1 is the same socket destination as 10.0.0.1, so a v4 entry covers both.
  const unmapped =
    address instanceof ipaddr.IPv6 && address.isIPv4MappedAddress()
      ? address.toIPv4Address()
      : null;
  return inAny(address, allow) || (unmapped !== null && inAny(unmapped, allow));
}

/** The blocked range `ip` is in, or null for a public address. Unparseable input is "invalid". */
export function classifyAddress(ip: string): string | null {
  const address = parseAddress(ip);
  return address ? (findBlockedRange(address)?.range ?? null) : "invalid";
}

const article = (word: string) => (/^(?:[aeio]|un(?!i))/i.test(word) ? "an" : "a");

/**
 * Whose name a connection's host is. A tenant's (a webhook URL, a broker, a custom SQS
 * endpoint): the allow list may exempt any range. AWS's own (the SQS endpoint the SDK picks for a
 * region): the allow list may open private ranges to it (VPC interface endpoints), but never
 * loopback, link-local (instance metadata) or unspecified addresses: AWS serves nothing there,
 * so such an answer means the name was hijacked (a hosts file, a resolver).
 */
export type HostOwner = "tenant" | "aws";

const NEVER_FOR_AWS: readonly string[] = ["unspecified", "loopback", "link-local"];

interface Refusal extends BlockedRange {
  /** What would allow it, or why nothing can. */
  remedy: "allow-list" | "never";
}

function refusalOf(
  address: Address,
  ip: string,
  allow: AllowList,
  owner: HostOwner,
): Refusal | null {
  const blocked = findBlockedRange(address);
  if (!blocked) return null;
  if (owner === "aws" && NEVER_FOR_AWS.includes(blocked.range)) {
    return { ...blocked, remedy: "never" };
  }
  return isAllowListed(ip, allow) ? null : { ...blocked, remedy: "allow-list" };
}

const NEVER_REMEDY = "never allowed for AWS's own hosts";

/** An address the user wrote (an IP-literal host) may be echoed with all its detail. */
function literalReason(ip: string, { range, embedded, remedy }: Refusal): string {
  const via = embedded ? ` (${embedded.form} form of ${embedded.ipv4})` : "";
  const what = `${ip} is ${article(range)} ${range} address${via}`;
  return remedy === "never"
    ? `${what}, ${NEVER_REMEDY}`
    : `${what}; add it to ${ALLOW_SETTING} to allow it`;
}

/** What a name resolves to stays unsaid: only the kind of range, never the address. */
function nameReason(host: string, { range, embedded, remedy }: Refusal): string {
  const form = embedded ? ` in ${embedded.form} form` : "";
  const kind = `${article(range)} ${range} address${form}`;
  return remedy === "never"
    ? `${host} resolves to a blocked address (${kind}, ${NEVER_REMEDY})`
    : `${host} resolves to a blocked address (${kind}); add its range to ${ALLOW_SETTING} to allow it`;
}

export function checkAddress(
  ip: string,
  allow: AllowList,
  owner: HostOwner = "tenant",
): { allowed: true } | { allowed: false; reason: string } {
  const address = parseAddress(ip);
  if (!address) return { allowed: false, reason: `"${ip}" is not an IP address` };
  const refusal = refusalOf(address, ip, allow, owner);
  return refusal ? { allowed: false, reason: literalReason(ip, refusal) } : { allowed: true };
}

export function checkUrlShape(
  text: string,
): { ok: true; url: URL; hostIsIp: boolean; host: string } | { ok: false; reason: string } {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { ok: false, reason: "url must be an absolute URL such as https://example.com/webhook" };
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    return { ok: false, reason: `url must use https:// (or http://), not ${url.protocol}//` };
  }
  if (url.username !== "" || url.password !== "") {
    return { ok: false, reason: "url must not contain a username or password" };
  }
  if (url.hostname === "") return { ok: false, reason: "url must have a host" };
  // WHATWG URL already canonicalises IPv4 hosts (0x7f.1 -> 127.0.0.1) and brackets IPv6 ones.
  const bracketed = url.hostname.startsWith("[");
  const host = bracketed ? url.hostname.slice(1, -1) : url.hostname;
  return { ok: true, url, host, hostIsIp: bracketed || ipaddr.IPv4.isValidFourPartDecimal(host) };
}

/**
 * A host may be connected to when it resolved, and to allowed addresses only. Every address
 * counts, so one blocked answer among public ones refuses the name. The reason names the host
 * and the kind of range, never the address a name resolved to (an IP-literal host is echoed).
 */
export function checkHostAddresses(
  host: string,
  addresses: readonly string[],
  allow: AllowList,
  owner: HostOwner = "tenant",
): { ok: true } | { ok: false; reason: string } {
  if (addresses.length === 0) return { ok: false, reason: `could not resolve host ${host}` };
  for (const ip of addresses) {
    const address = parseAddress(ip);
    if (!address) return { ok: false, reason: `${host} resolves to an invalid address` };
    const refusal = refusalOf(address, ip, allow, owner);
    if (refusal) {
      return {
        ok: false,
        reason: ip === host ? literalReason(ip, refusal) : nameReason(host, refusal),
      };
    }
  }
  return { ok: true };
}

export function checkResolvedTarget(
  url: URL,
  addresses: readonly string[],
  allow: AllowList,
  owner: HostOwner = "tenant",
): { ok: true } | { ok: false; reason: string } {
  const host = url.hostname.replace(/^\[(.*)\]$/, "$1");
  const reachable = checkHostAddresses(host, addresses, allow, owner);
  if (!reachable.ok) return reachable;
  // Plain http is only for destinations the operator vouched for, e.g. a sidecar on localhost.
  if (url.protocol === "http:" && !addresses.every((ip) => isAllowListed(ip, allow))) {
    return {
      ok: false,
      reason: `https:// is required (http:// only for hosts in ${ALLOW_SETTING})`,
    };
  }
  return { ok: true };
}
