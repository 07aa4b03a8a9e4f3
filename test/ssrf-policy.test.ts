import { test } from "node:test";
import assert from "node:assert/strict";
import {
  checkAddress,
  checkHostAddresses,
  checkResolvedTarget,
  checkUrlShape,
  classifyAddress,
  isAllowListed,
  parseAllowList,
  type HostOwner,
} from "../src/core/policy/ssrf-policy.js";

const NONE = "";
const LOCAL = "127.0.0.0/8,10.0.0.0/8,::1/128";

// [address, allow-list, expected range (null = public, allowed), allowed?]
const ADDRESSES: [string, string, string | null, boolean][] = [
  ["8.8.8.8", NONE, null, true],
  ["1.1.1.1", NONE, null, true],
  ["2606:4700:4700::1111", NONE, null, true],
  ["0.0.0.0", NONE, "unspecified", false],
  ["0.1.2.3", NONE, "unspecified", false],
  ["127.0.0.1", NONE, "loopback", false],
  ["127.255.255.254", NONE, "loopback", false],
  ["10.1.2.3", NONE, "private", false],
  ["172.16.0.1", NONE, "private", false],
  ["172.31.255.255", NONE, "private", false],
  ["172.32.0.1", NONE, null, true],
  ["192.168.1.1", NONE, "private", false],
  ["169.254.169.254", NONE, "link-local", false],
  ["100.64.0.1", NONE, "carrier-grade NAT", false],
  ["100.127.255.255", NONE, "carrier-grade NAT", false],
  ["100.128.0.1", NONE, null, true],
  ["224.0.0.1", NONE, "multicast", false],
  ["239.255.255.250", NONE, "multicast", false],
  ["192.0.0.8", NONE, "reserved", false],
  ["192.0.2.1", NONE, "documentation", false],
  ["198.51.100.7", NONE, "documentation", false],
  ["203.0.113.9", NONE, "documentation", false],
  ["198.18.0.1", NONE, "benchmarking", false],
  ["198.19.255.255", NONE, "benchmarking", false],
  ["240.0.0.1", NONE, "reserved", false],
  ["255.255.255.255", NONE, "broadcast", false],
  // Odd IPv4 spellings that inet_aton-style parsers accept.
  ["2130706433", NONE, "loopback", false],
  ["0x7f.1", NONE, "loopback", false],
  ["0177.0.0.1", NONE, "loopback", false],
  ["::", NONE, "unspecified", false],
  ["::1", NONE, "loopback", false],
  ["fe80::1", NONE, "link-local", false],
  ["fe80::1%eth0", NONE, "link-local", false],
  ["fc00::1", NONE, "unique-local", false],
  ["fd12:3456:789a::1", NONE, "unique-local", false],
  ["fec0::1", NONE, "site-local", false],
  ["ff02::1", NONE, "multicast", false],
  ["100::1", NONE, "discard-only", false],
  ["2001:db8::1", NONE, "documentation", false],
  ["::7f00:1", NONE, "reserved", false], // deprecated IPv4-compatible
  // IPv6 forms embedding IPv4 are judged by the IPv4 address.
  ["::ffff:127.0.0.1", NONE, "loopback", false],
  ["::ffff:169.254.169.254", NONE, "link-local", false],
  ["::ffff:8.8.8.8", NONE, null, true],
  ["64:ff9b::10.0.0.1", NONE, "private", false],
  ["64:ff9b::8.8.8.8", NONE, null, true],
  ["2002:c0a8:0101::1", NONE, "private", false], // 6to4 of 192.168.1.1
  ["2002:0808:0808::1", NONE, null, true], // 6to4 of 8.8.8.8
  ["2001:0:0:0:0:0:80ff:fffe", NONE, "loopback", false], // Teredo client 127.0.0.1
  // Allow-list exemptions.
  ["127.0.0.1", LOCAL, "loopback", true],
  ["10.9.8.7", LOCAL, "private", true],
  ["::1", LOCAL, "loopback", true],
  ["::ffff:127.0.0.1", LOCAL, "loopback", true],
  ["192.168.1.1", LOCAL, "private", false],
  ["fd00::5", "fd00::/8", "unique-local", true],
  ["169.254.169.254", "169.254.169.253", "link-local", false],
];

for (const [ip, allowText, range, allowed] of ADDRESSES) {
  test(`${ip} with allow-list "${allowText}" -> ${range ?? "public"}, ${allowed ? "allowed" : "blocked"}`, () => {
    const allow = parseAllowList(allowText);
    assert.equal(classifyAddress(ip), range);
    const verdict = checkAddress(ip, allow);
    assert.equal(verdict.allowed, allowed);
    if (!verdict.allowed) {
      assert.match(
        verdict.reason,
        new RegExp(`^${ip.replace(/[.]/g, "\\.")} is an? ${range} address`),
      );
      assert.match(verdict.reason, /add it to HERALD_ALLOW_PRIVATE_NETWORKS/);
    }
  });
}

test("unparseable addresses are blocked, never treated as public", () => {
  assert.equal(classifyAddress("not-an-ip"), "invalid");
  assert.deepEqual(checkAddress("not-an-ip", []), {
    allowed: false,
    reason: '"not-an-ip" is not an IP address',
  });
  assert.equal(isAllowListed("not-an-ip", parseAllowList("0.0.0.0/0")), false);
});

test("embedded-address reasons name the IPv4 address actually reached", () => {
  const verdict = checkAddress("64:ff9b::a00:1", []);
  assert.equal(verdict.allowed, false);
  assert.match(!verdict.allowed ? verdict.reason : "", /NAT64 form of 10\.0\.0\.1/);
});

test("parseAllowList accepts CIDRs and bare IPs", () => {
  assert.deepEqual(parseAllowList(undefined), []);
  assert.deepEqual(parseAllowList(" , "), []);
  const allow = parseAllowList(" 10.0.0.0/8 , 192.168.1.5, ::1, fd00::/8 ");
  assert.equal(allow.length, 4);
  assert.equal(isAllowListed("10.255.0.1", allow), true);
  assert.equal(isAllowListed("192.168.1.5", allow), true);
  assert.equal(isAllowListed("192.168.1.6", allow), false, "bare IP means /32");
  assert.equal(isAllowListed("::1", allow), true);
  assert.equal(isAllowListed("::2", allow), false, "bare IPv6 means /128");
  assert.equal(isAllowListed("fdab::1", allow), true);
  assert.equal(isAllowListed("10.0.0.1", parseAllowList("::1/128")), false, "families never mix");
});

for (const bad of [
  "10.0.0.0/33",
  "::1/129",
  "10.0.0",
  "10",
  "localhost",
  "10.0.0.0/",
  "1.2.3.4/8/8",
]) {
  test(`parseAllowList rejects "${bad}" naming the entry`, () => {
    assert.throws(() => parseAllowList(`127.0.0.0/8,${bad}`), {
      message: `HERALD_ALLOW_PRIVATE_NETWORKS: "${bad}" is not a CIDR`,
    });
  });
}

// [url, expected: failure reason pattern, or the host and whether it is an IP literal]
const SHAPES: [string, RegExp | { host: string; hostIsIp: boolean }][] = [
  ["https://example.com/hook", { host: "example.com", hostIsIp: false }],
  ["http://127.0.0.1:3000/x", { host: "127.0.0.1", hostIsIp: true }],
  ["https://[::1]:8443/x", { host: "::1", hostIsIp: true }],
  ["https://[::ffff:127.0.0.1]/", { host: "::ffff:7f00:1", hostIsIp: true }],
  ["http://2130706433/", { host: "127.0.0.1", hostIsIp: true }],
  ["ftp://example.com/file", /must use https:\/\/ \(or http:\/\/\), not ftp:/],
  ["file:///etc/passwd", /must use https:\/\//],
  ["https://user:pass@example.com/", /must not contain a username or password/],
  ["https://user@example.com/", /must not contain a username or password/],
  ["/relative/path", /must be an absolute URL/],
  ["not a url at all", /must be an absolute URL/],
  ["https://", /must be an absolute URL/],
];

for (const [url, expected] of SHAPES) {
  test(`checkUrlShape ${JSON.stringify(url)}`, () => {
    const shape = checkUrlShape(url);
    if (expected instanceof RegExp) {
      assert.equal(shape.ok, false);
      assert.match(!shape.ok ? shape.reason : "", expected);
    } else {
      assert.equal(shape.ok, true);
      if (shape.ok) assert.deepEqual({ host: shape.host, hostIsIp: shape.hostIsIp }, expected);
    }
  });
}

// [url, resolved addresses, allow-list, failure reason pattern or null for ok]
const TARGETS: [string, string[], string, RegExp | null][] = [
  ["https://example.com/", ["93.184.215.14"], NONE, null],
  ["https://example.com/", ["93.184.215.14", "2606:2800:21f:cb07:6820:80da:af6b:8b2c"], NONE, null],
  ["http://example.com/", ["93.184.215.14"], NONE, /^https:\/\/ is required/],
  ["http://127.0.0.1:3000/x", ["127.0.0.1"], LOCAL, null],
  ["http://localhost:3000/x", ["::1", "127.0.0.1"], LOCAL, null],
  [
    "http://localhost:3000/x",
    ["::1", "127.0.0.1"],
    "127.0.0.0/8",
    /^localhost resolves to a blocked address \(a loopback address\); add its range to/,
  ],
  ["https://127.0.0.1/", ["127.0.0.1"], NONE, /^127\.0\.0\.1 is a loopback address; add it/],
  [
    "https://evil.example/",
    ["8.8.8.8", "10.0.0.1"],
    NONE,
    /^evil\.example resolves to a blocked address \(a private address\)/,
  ],
  ["https://evil.example/", ["10.0.0.1", "8.8.8.8"], "10.0.0.0/8", null],
  ["http://mixed.example/", ["10.0.0.1", "8.8.8.8"], "10.0.0.0/8", /^https:\/\/ is required/],
  ["https://meta.example/", ["169.254.169.254"], NONE, /link-local/],
  ["https://nowhere.example/", [], LOCAL, /^could not resolve host nowhere\.example$/],
];

for (const [url, addresses, allowText, failure] of TARGETS) {
  test(`checkResolvedTarget ${url} -> [${addresses.join(", ")}] allow "${allowText}"`, () => {
    const verdict = checkResolvedTarget(new URL(url), addresses, parseAllowList(allowText));
    if (failure === null) return assert.deepEqual(verdict, { ok: true });
    assert.equal(verdict.ok, false);
    assert.match(!verdict.ok ? verdict.reason : "", failure);
  });
}

const EVERYTHING = "0.0.0.0/0,::/0";

// AWS's own hosts: private ranges only when allow-listed (VPC interface endpoints); loopback,
// link-local and unspecified never, whatever the allow list says.
// [address, allow-list, allowed for an AWS host?]
const AWS_ADDRESSES: [string, string, boolean][] = [
  ["52.46.128.10", NONE, true],
  ["2600:1f18::1", NONE, true],
  ["10.0.1.5", NONE, false],
  ["10.0.1.5", "10.0.0.0/8", true],
  ["172.31.0.9", "172.16.0.0/12", true],
  ["fd00::5", "fd00::/8", true],
  ["100.64.0.1", "100.64.0.0/10", true],
  ["127.0.0.1", NONE, false],
  ["127.0.0.1", "127.0.0.0/8", false],
  ["::1", "::1/128", false],
  ["169.254.169.254", "169.254.0.0/16", false],
  ["fe80::1", "fe80::/10", false],
  ["0.0.0.0", "0.0.0.0/8", false],
  ["::", EVERYTHING, false],
  ["::ffff:127.0.0.1", EVERYTHING, false],
  ["::ffff:169.254.169.254", EVERYTHING, false],
  ["64:ff9b::7f00:1", EVERYTHING, false],
  ["10.0.1.5", EVERYTHING, true],
];

for (const [ip, allowText, allowed] of AWS_ADDRESSES) {
  test(`AWS host at ${ip} with allow-list "${allowText}" -> ${allowed ? "allowed" : "blocked"}`, () => {
    const verdict = checkAddress(ip, parseAllowList(allowText), "aws");
    assert.equal(verdict.allowed, allowed);
    const never = ["unspecified", "loopback", "link-local"].includes(classifyAddress(ip) ?? "");
    if (!verdict.allowed && never) {
      assert.match(verdict.reason, /, never allowed for AWS's own hosts$/);
    }
  });
}

const ADD_RANGE = "; add its range to HERALD_ALLOW_PRIVATE_NETWORKS to allow it";
const NEVER = ", never allowed for AWS's own hosts";

// [host, resolved addresses, allow-list, owner, reason (null = may connect)]
const HOSTS: [string, string[], string, HostOwner, string | null][] = [
  ["example.com", ["93.184.215.14"], NONE, "tenant", null],
  ["localhost", ["127.0.0.1"], "127.0.0.0/8", "tenant", null],
  [
    "localhost",
    ["127.0.0.1"],
    NONE,
    "tenant",
    `localhost resolves to a blocked address (a loopback address)${ADD_RANGE}`,
  ],
  [
    "mixed.example",
    ["93.184.215.14", "10.0.0.7"],
    NONE,
    "tenant",
    `mixed.example resolves to a blocked address (a private address)${ADD_RANGE}`,
  ],
  [
    "nat64.example",
    ["64:ff9b::a00:1"],
    NONE,
    "tenant",
    `nat64.example resolves to a blocked address (a private address in NAT64 form)${ADD_RANGE}`,
  ],
  [
    "meta.example",
    ["169.254.169.254"],
    NONE,
    "tenant",
    `meta.example resolves to a blocked address (a link-local address)${ADD_RANGE}`,
  ],
  ["sqs.us-east-1.amazonaws.com", ["52.46.128.10"], NONE, "aws", null],
  ["sqs.us-east-1.amazonaws.com", ["10.0.1.5"], "10.0.0.0/8", "aws", null],
  [
    "sqs.us-east-1.amazonaws.com",
    ["10.0.1.5"],
    NONE,
    "aws",
    `sqs.us-east-1.amazonaws.com resolves to a blocked address (a private address)${ADD_RANGE}`,
  ],
  [
    "sqs.us-iso-east-1.c2s.ic.gov",
    ["127.0.0.1"],
    NONE,
    "aws",
    `sqs.us-iso-east-1.c2s.ic.gov resolves to a blocked address (a loopback address${NEVER})`,
  ],
  [
    "sqs.us-iso-east-1.c2s.ic.gov",
    ["127.0.0.1"],
    "127.0.0.0/8",
    "aws",
    `sqs.us-iso-east-1.c2s.ic.gov resolves to a blocked address (a loopback address${NEVER})`,
  ],
  [
    "sqs-fips.us-isob-east-1.sc2s.sgov.gov",
    ["52.46.128.10", "169.254.169.254"],
    EVERYTHING,
    "aws",
    `sqs-fips.us-isob-east-1.sc2s.sgov.gov resolves to a blocked address (a link-local address${NEVER})`,
  ],
  [
    "sqs.cn-north-1.amazonaws.com.cn",
    ["::ffff:0.0.0.0"],
    EVERYTHING,
    "aws",
    `sqs.cn-north-1.amazonaws.com.cn resolves to a blocked address (an unspecified address in IPv4-mapped form${NEVER})`,
  ],
  // An IP-literal host is what the user wrote: it is echoed.
  [
    "127.0.0.1",
    ["127.0.0.1"],
    NONE,
    "tenant",
    "127.0.0.1 is a loopback address; add it to HERALD_ALLOW_PRIVATE_NETWORKS to allow it",
  ],
  ["127.0.0.1", ["127.0.0.1"], "127.0.0.0/8", "aws", `127.0.0.1 is a loopback address${NEVER}`],
  ["nowhere.example", [], NONE, "tenant", "could not resolve host nowhere.example"],
  ["odd.example", ["not-an-ip"], NONE, "tenant", "odd.example resolves to an invalid address"],
];

for (const [host, addresses, allowText, owner, reason] of HOSTS) {
  test(`checkHostAddresses ${host} (${owner}) -> [${addresses.join(", ")}] allow "${allowText}"`, () => {
    const verdict = checkHostAddresses(host, addresses, parseAllowList(allowText), owner);
    assert.deepEqual(verdict, reason === null ? { ok: true } : { ok: false, reason });
  });
}

test("a name's refusal names the kind of range, never the address it resolves to", () => {
  const blocked = ADDRESSES.filter(([, allowText, , allowed]) => allowText === NONE && !allowed);
  const shape =
    /^internal\.example resolves to a blocked address \(an? [A-Za-z -]+ address(?: in [\w-]+ form)?(?:\); add its range to HERALD_ALLOW_PRIVATE_NETWORKS to allow it|, never allowed for AWS's own hosts\))$/;
  for (const [ip] of blocked) {
    for (const owner of ["tenant", "aws"] as const) {
      const verdict = checkHostAddresses("internal.example", [ip], [], owner);
      assert.equal(verdict.ok, false, ip);
      const reason = !verdict.ok ? verdict.reason : "";
      assert.match(reason, shape, `${ip}: ${reason}`);
    }
  }
});
