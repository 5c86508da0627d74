/**
 * Which network addresses a price source may reach. Loopback, private (RFC 1918, CGNAT, unique local),
 * link-local (incl. the 169.254.169.254 metadata endpoint), unspecified, multicast and reserved addresses
 * are forbidden unless an allow-list entry admits them; IPv6 forms that carry an IPv4 address (mapped,
 * NAT64, 6to4) count as that address, and the deprecated IPv4-compatible ::/96 and local-use NAT64
 * are forbidden outright. An allow-list entry is a host name, an IP address or a CIDR range, with a port
 * (`127.0.0.1:8081`, `[::1]:8081`, `10.0.0.0/8:8080`), `:*` for any port, or no port for the web ports
 * 80 and 443 only — so an allowed intranet shop cannot redirect to another service on the same host.
 * The guarded DNS lookup checks every resolved address, and the connection goes to the address it checked.
 */
import { lookup as dnsLookup } from "node:dns";
import { BlockList, isIP, type LookupFunction } from "node:net";

type Family = "ipv4" | "ipv6";

const FORBIDDEN_RANGES: readonly (readonly [string, number, Family, string])[] = [
  ["0.0.0.0", 8, "ipv4", "unspecified"],
  ["10.0.0.0", 8, "ipv4", "private"],
  ["100.64.0.0", 10, "ipv4", "shared (CGNAT)"],
  ["127.0.0.0", 8, "ipv4", "loopback"],
  ["169.254.0.0", 16, "ipv4", "link-local"],
  ["172.16.0.0", 12, "ipv4", "private"],
  ["192.0.0.0", 24, "ipv4", "IETF protocol"],
  ["192.168.0.0", 16, "ipv4", "private"],
  ["198.18.0.0", 15, "ipv4", "benchmarking"],
  ["224.0.0.0", 4, "ipv4", "multicast"],
  ["240.0.0.0", 4, "ipv4", "reserved"],
  ["::", 128, "ipv6", "unspecified"],
  ["::1", 128, "ipv6", "loopback"],
  ["::", 96, "ipv6", "IPv4-compatible (deprecated)"],
  ["64:ff9b:1::", 48, "ipv6", "local-use NAT64"],
  ["fc00::", 7, "ipv6", "unique local"],
  ["fe80::", 10, "ipv6", "link-local"],
  ["ff00::", 8, "ipv6", "multicast"],
];

const FORBIDDEN: readonly { readonly list: BlockList; readonly label: string }[] = FORBIDDEN_RANGES.map(
  ([network, prefix, family, label]) => {
    const list = new BlockList();
    list.addSubnet(network, prefix, family);
    return { list, label };
  },
);

/** A source URL, or a redirect, leads to an address the policy forbids. */
export class ForbiddenAddressError extends Error {
  override readonly name = "ForbiddenAddressError";
}

/** An allow-list entry is neither a host name, an IP address nor a CIDR range. */
export class AllowListError extends Error {
  override readonly name = "AllowListError";
}

function familyOf(address: string): Family | undefined {
  const version = isIP(address);
  return version === 4 ? "ipv4" : version === 6 ? "ipv6" : undefined;
}

function unbracket(hostname: string): string {
  return hostname.startsWith("[") && hostname.endsWith("]") ? hostname.slice(1, -1) : hostname;
}

/** IPv6 prefixes whose addresses carry an IPv4 address, and where its 32 bits start. */
const EMBEDDED_IPV4: readonly (readonly [string, number, number])[] = [
  ["::ffff:0:0", 96, 96],
  ["64:ff9b::", 96, 96],
  ["2002::", 16, 16],
];

function ipv6Bits(address: string): bigint {
  const [head = "", tail] = address.split("::");
  const groups = (part: string) => (part === "" ? [] : part.split(":"));
  const expand = (parts: string[]) =>
    parts.flatMap((group) => {
      if (!group.includes(".")) return [group];
      const [a = 0, b = 0, c = 0, d = 0] = group.split(".").map(Number);
      return [((a << 8) | b).toString(16), ((c << 8) | d).toString(16)];
    });
  const left = expand(groups(head));
  const right = tail === undefined ? [] : expand(groups(tail));
  const all = [...left, ...Array<string>(8 - left.length - right.length).fill("0"), ...right];
  return all.reduce((bits, group) => (bits << 16n) | BigInt(`0x${group || "0"}`), 0n);
}

/** The IPv4 address an IPv6 address carries (mapped, NAT64, 6to4), if it carries one. */
function embeddedIpv4(address: string): string | undefined {
  for (const [network, prefix, offset] of EMBEDDED_IPV4) {
    const range = new BlockList();
    range.addSubnet(network, prefix, "ipv6");
    if (!range.check(address, "ipv6")) continue;
    const bits = (ipv6Bits(address) >> BigInt(96 - offset)) & 0xffffffffn;
    return [24n, 16n, 8n, 0n].map((shift) => String((bits >> shift) & 0xffn)).join(".");
  }
  return undefined;
}

/** Why an IP address is forbidden ("loopback", "private", …), or undefined when it is public. */
export function forbiddenRange(address: string): string | undefined {
  const family = familyOf(address);
  if (family === undefined) return undefined;
  const carried = family === "ipv6" ? embeddedIpv4(address) : undefined;
  if (carried !== undefined) return forbiddenRange(carried);
  return FORBIDDEN.find(({ list }) => list.check(address, family))?.label;
}

/** The ports an allow-list entry admits: one, any, or the web ports. */
type AllowedPorts = number | "any" | "web";
const WEB_PORTS: ReadonlySet<number> = new Set([80, 443]);

function admits(ports: AllowedPorts, port: number): boolean {
  return ports === "any" || (ports === "web" ? WEB_PORTS.has(port) : ports === port);
}

/** Splits `host`, `host:port`, `[v6]:port`, `cidr:port`, `host:*` into the host part and its ports. */
function splitPort(entry: string): { readonly host: string; readonly ports: AllowedPorts } | undefined {
  const bracketed = /^\[([^\]]+)\](?::(\d+|\*))?$/.exec(entry);
  const [host, portText] = bracketed
    ? [bracketed[1]!, bracketed[2]]
    : entry.split(":").length === 2
      ? (entry.split(":") as [string, string])
      : [entry, undefined];
  if (portText === undefined) return { host, ports: "web" };
  if (portText === "*") return { host, ports: "any" };
  const port = Number(portText);
  return /^\d+$/.test(portText) && port >= 1 && port <= 65535 ? { host, ports: port } : undefined;
}

/** The port a URL connects to. */
export function portOf(url: URL): number {
  return url.port === "" ? (url.protocol === "https:" ? 443 : 80) : Number(url.port);
}

interface AllowListEntry {
  readonly hostname?: string;
  readonly addresses?: BlockList;
  readonly ports: AllowedPorts;
}

function parseEntry(raw: string): AllowListEntry {
  const invalid = new AllowListError(
    `allow-list entry "${raw}" is not a host name, an IP address or a CIDR range, with an optional :port or :*`,
  );
  const split = splitPort(raw.trim().toLowerCase());
  if (split === undefined) throw invalid;
  const { host, ports } = split;
  const [network = "", prefixText, ...rest] = host.split("/");
  const family = familyOf(network);
  const prefix = prefixText === undefined ? undefined : Number(prefixText);
  const maxPrefix = family === "ipv4" ? 32 : 128;
  if (family !== undefined && prefixText === undefined) {
    const addresses = new BlockList();
    addresses.addAddress(network, family);
    return { addresses, ports };
  }
  if (
    family !== undefined &&
    rest.length === 0 &&
    Number.isInteger(prefix) &&
    prefix! >= 0 &&
    prefix! <= maxPrefix
  ) {
    const addresses = new BlockList();
    addresses.addSubnet(network, prefix!, family);
    return { addresses, ports };
  }
  if (
    prefixText === undefined &&
    /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/.test(host)
  ) {
    return { hostname: host, ports };
  }
  throw invalid;
}

/** The allow-list for private addresses: host names match exactly, IPs and CIDRs match resolved addresses. */
export class AddressPolicy {
  private readonly entries: readonly AllowListEntry[];

  constructor(allowPrivateHosts: readonly string[]) {
    this.entries = allowPrivateHosts.map(parseEntry);
  }

  /** Why connecting to `address`:`port` for `hostname` is forbidden, or undefined when it is allowed. */
  violation(hostname: string, address: string, port: number): string | undefined {
    const range = forbiddenRange(address);
    if (range === undefined) return undefined;
    const family = familyOf(address);
    const allowed = this.entries.some(
      (entry) =>
        admits(entry.ports, port) &&
        (entry.hostname === hostname.toLowerCase() ||
          (family !== undefined && entry.addresses?.check(address, family) === true)),
    );
    if (allowed) return undefined;
    const subject = hostname === address ? address : `${hostname} resolves to ${address}, which`;
    return `${subject} is a ${range} address, not allowed for price sources on port ${port} (allow-list: SCRAPE_ALLOW_PRIVATE_HOSTS)`;
  }
}

export type UrlCheck =
  { readonly valid: true; readonly url: URL } | { readonly valid: false; readonly error: string };

/**
 * Input-time check of a source URL: syntax, http/https only, no credentials, and no literal IP address in a
 * forbidden range (unless allow-listed). Host names (localhost included) are checked after DNS, at fetch time.
 */
export function validateSourceUrl(input: string, policy: AddressPolicy = new AddressPolicy([])): UrlCheck {
  if (!URL.canParse(input)) return { valid: false, error: `"${input.slice(0, 100)}" is not a valid URL` };
  const url = new URL(input);
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    return { valid: false, error: `only http and https URLs are allowed, not ${url.protocol.slice(0, -1)}` };
  }
  if (url.username !== "" || url.password !== "") {
    return { valid: false, error: "a source URL may not contain a user name or password" };
  }
  const host = unbracket(url.hostname);
  if (host === "") return { valid: false, error: "the URL has no host" };
  const violation = familyOf(host) === undefined ? undefined : policy.violation(host, host, portOf(url));
  return violation === undefined ? { valid: true, url } : { valid: false, error: violation };
}

/**
 * A `net.connect` lookup for a connection to `port` that resolves all addresses, refuses the host when
 * any of them is forbidden, and hands the checked addresses to the socket (no second resolution, so no
 * DNS-rebinding gap).
 */
export function guardedLookup(policy: AddressPolicy, port: number): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, []);
      const violation = addresses
        .map(({ address }) => policy.violation(hostname, address, port))
        .find(Boolean);
      const [first] = addresses;
      if (violation !== undefined) return callback(new ForbiddenAddressError(violation), []);
      if (!first) return callback(new ForbiddenAddressError(`${hostname} resolved to no address`), []);
      return options.all ? callback(null, addresses) : callback(null, first.address, first.family);
    });
  };
}
