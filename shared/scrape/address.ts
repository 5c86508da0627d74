/**
 * Which network addresses a price source may reach. Loopback, private (RFC 1918, CGNAT, unique local),
 * link-local (incl. the 169.254.169.254 metadata endpoint), unspecified, multicast and reserved addresses
 * are forbidden unless an allow-list entry (host name, IP address or CIDR) admits them. The guarded DNS
 * lookup checks every resolved address, and the connection goes to the address it checked.
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

/** Why an IP address is forbidden ("loopback", "private", …), or undefined when it is public. */
export function forbiddenRange(address: string): string | undefined {
  const family = familyOf(address);
  if (family === undefined) return undefined;
  return FORBIDDEN.find(({ list }) => list.check(address, family))?.label;
}

/** The allow-list for private addresses: host names match exactly, IPs and CIDRs match resolved addresses. */
export class AddressPolicy {
  private readonly hostnames = new Set<string>();
  private readonly addresses = new BlockList();

  constructor(allowPrivateHosts: readonly string[]) {
    for (const raw of allowPrivateHosts) {
      const entry = unbracket(raw.trim().toLowerCase());
      const [network = "", prefixText, ...rest] = entry.split("/");
      const family = familyOf(network);
      const prefix = prefixText === undefined ? undefined : Number(prefixText);
      const maxPrefix = family === "ipv4" ? 32 : 128;
      if (family !== undefined && prefix === undefined) {
        this.addresses.addAddress(network, family);
      } else if (
        family !== undefined &&
        rest.length === 0 &&
        Number.isInteger(prefix) &&
        prefix! >= 0 &&
        prefix! <= maxPrefix
      ) {
        this.addresses.addSubnet(network, prefix!, family);
      } else if (
        prefixText === undefined &&
        /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/.test(entry)
      ) {
        this.hostnames.add(entry);
      } else {
        throw new AllowListError(
          `allow-list entry "${raw}" is not a host name, an IP address or a CIDR range`,
        );
      }
    }
  }

  /** Why connecting to `address` for `hostname` is forbidden, or undefined when it is allowed. */
  violation(hostname: string, address: string): string | undefined {
    const range = forbiddenRange(address);
    if (range === undefined || this.hostnames.has(hostname.toLowerCase())) return undefined;
    const family = familyOf(address);
    if (family !== undefined && this.addresses.check(address, family)) return undefined;
    const subject = hostname === address ? address : `${hostname} resolves to ${address}, which`;
    return `${subject} is a ${range} address, not allowed for price sources (allow-list: SCRAPE_ALLOW_PRIVATE_HOSTS)`;
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
  const violation = familyOf(host) === undefined ? undefined : policy.violation(host, host);
  return violation === undefined ? { valid: true, url } : { valid: false, error: violation };
}

/**
 * A `net.connect` lookup that resolves all addresses, refuses the host when any of them is forbidden,
 * and hands the checked addresses to the socket (no second resolution, so no DNS-rebinding gap).
 */
export function guardedLookup(policy: AddressPolicy): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, []);
      const violation = addresses.map(({ address }) => policy.violation(hostname, address)).find(Boolean);
      const [first] = addresses;
      if (violation !== undefined) return callback(new ForbiddenAddressError(violation), []);
      if (!first) return callback(new ForbiddenAddressError(`${hostname} resolved to no address`), []);
      return options.all ? callback(null, addresses) : callback(null, first.address, first.family);
    });
  };
}
