import { describe, expect, it } from "vitest";
import {
  AddressPolicy,
  AllowListError,
  forbiddenRange,
  guardedLookup,
  validateSourceUrl,
} from "../../../shared/scrape/address.ts";

describe("forbiddenRange", () => {
  it.each([
    ["127.0.0.1", "loopback"],
    ["10.1.2.3", "private"],
    ["172.31.255.255", "private"],
    ["192.168.0.10", "private"],
    ["100.64.0.1", "shared (CGNAT)"],
    ["169.254.169.254", "link-local"],
    ["0.0.0.0", "unspecified"],
    ["224.0.0.1", "multicast"],
    ["255.255.255.255", "reserved"],
    ["::1", "loopback"],
    ["::", "unspecified"],
    ["fd12:3456::1", "unique local"],
    ["fe80::1", "link-local"],
    ["ff02::1", "multicast"],
    ["::ffff:7f00:1", "loopback"],
    ["::ffff:10.0.0.1", "private"],
    ["::7f00:1", "IPv4-compatible (deprecated)"],
    ["::a9fe:a9fe", "IPv4-compatible (deprecated)"],
    ["64:ff9b::7f00:1", "loopback"],
    ["64:ff9b::169.254.169.254", "link-local"],
    ["64:ff9b:1::808:808", "local-use NAT64"],
    ["2002:c0a8:0101::1", "private"],
  ])("%s is %s", (address, range) => {
    expect(forbiddenRange(address)).toBe(range);
  });

  it.each([
    "8.8.8.8",
    "172.32.0.1",
    "100.128.0.1",
    "2800:3f0:4001:80f::200e",
    "64:ff9b::808:808",
    "2002:808:808::1",
  ])("%s is public", (address) => {
    expect(forbiddenRange(address)).toBeUndefined();
  });
});

describe("validateSourceUrl", () => {
  it("accepts public http and https URLs", () => {
    const check = validateSourceUrl("https://www.mercadolivre.com.br/p/MLB1?x=1");
    expect(check).toMatchObject({ valid: true });
    expect(check.valid && check.url.hostname).toBe("www.mercadolivre.com.br");
  });

  it.each([
    ["not a url", "is not a valid URL"],
    ["ftp://example.com/file", "only http and https URLs are allowed, not ftp"],
    ["file:///etc/passwd", "only http and https URLs are allowed, not file"],
    ["https://user:secret@example.com/", "may not contain a user name or password"],
    ["http://127.0.0.1:8080/", "127.0.0.1 is a loopback address"],
    ["http://2130706433/", "127.0.0.1 is a loopback address"],
    ["http://[::1]/", "::1 is a loopback address"],
    ["http://169.254.169.254/latest/meta-data/", "169.254.169.254 is a link-local address"],
    ["http://[::ffff:10.0.0.1]/", "is a private address"],
  ])("rejects %s", (url, message) => {
    const check = validateSourceUrl(url);
    expect(check.valid).toBe(false);
    expect(check.valid ? "" : check.error).toContain(message);
  });

  it("accepts private literal addresses the allow-list names", () => {
    const policy = new AddressPolicy(["127.0.0.1:3000", "10.0.0.0/8"]);
    expect(validateSourceUrl("http://127.0.0.1:3000/", policy).valid).toBe(true);
    expect(validateSourceUrl("http://10.9.8.7/", policy).valid).toBe(true);
    expect(validateSourceUrl("https://10.9.8.7/", policy).valid).toBe(true);
    expect(validateSourceUrl("http://192.168.1.1/", policy).valid).toBe(false);
  });

  it("admits an allow-listed address only on the ports its entry names", () => {
    const policy = new AddressPolicy(["127.0.0.1:3000", "10.0.0.0/8", "[::1]:8443"]);
    expect(validateSourceUrl("http://127.0.0.1:9070/", policy)).toMatchObject({
      valid: false,
      error: expect.stringContaining("on port 9070"),
    });
    expect(validateSourceUrl("http://10.9.8.7:8080/", policy).valid).toBe(false);
    expect(validateSourceUrl("https://[::1]:8443/", policy).valid).toBe(true);
    expect(validateSourceUrl("https://[::1]/", policy).valid).toBe(false);
    expect(validateSourceUrl("http://127.0.0.1:9070/", new AddressPolicy(["127.0.0.1:*"])).valid).toBe(true);
  });
});

describe("AddressPolicy", () => {
  it("allows private addresses of allow-listed host names", () => {
    const policy = new AddressPolicy(["shop.internal"]);
    expect(policy.violation("shop.internal", "10.0.0.5", 443)).toBeUndefined();
    expect(policy.violation("shop.internal", "10.0.0.5", 9070)).toContain("on port 9070");
    expect(policy.violation("other.internal", "10.0.0.5", 443)).toContain(
      "other.internal resolves to 10.0.0.5",
    );
  });

  it.each([
    "10.0.0.0/33",
    "not a host!",
    "::1/129",
    "1.2.3.4/8/9",
    "shop:0",
    "shop:70000",
    "shop:http",
    "[::1]:",
  ])("rejects the allow-list entry %j", (entry) => {
    expect(() => new AddressPolicy([entry])).toThrow(AllowListError);
  });
});

describe("guardedLookup", () => {
  const lookup = (policy: AddressPolicy, hostname: string) =>
    new Promise<{ error: Error | null; address: unknown }>((resolve) =>
      guardedLookup(policy, 443)(hostname, { all: true }, (error, address) => resolve({ error, address })),
    );

  it("refuses a host name that resolves to loopback", async () => {
    const { error } = await lookup(new AddressPolicy([]), "localhost");
    expect(error?.name).toBe("ForbiddenAddressError");
    expect(error?.message).toMatch(/localhost resolves to .* loopback/);
  });

  it("hands back the checked addresses when the allow-list admits them", async () => {
    const { error, address } = await lookup(new AddressPolicy(["localhost"]), "localhost");
    expect(error).toBeNull();
    expect(address).toEqual(
      expect.arrayContaining([expect.objectContaining({ address: expect.any(String) })]),
    );
  });
});
