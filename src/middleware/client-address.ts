/**
 * Where a request came from, for `acs:SourceIp`, `acs:SecureTransport` and `acs:SourceVpc` (docs/semantics.md §5):
 * the connection's peer, unless that peer is a configured trusted proxy, whose forwarding headers then count.
 */
import ipaddr from "ipaddr.js";

type Address = ipaddr.IPv4 | ipaddr.IPv6;

export interface ConnectionFacts {
  readonly remoteAddress: string | undefined;
  /** The connection itself is TLS. */
  readonly encrypted: boolean;
  readonly headers: Readonly<Record<string, string | readonly string[] | undefined>>;
}

export interface ClientOrigin {
  /** An IP address, or the raw text of an unreadable hop (which the core treats as indeterminate: fail closed). */
  readonly sourceIp: string | undefined;
  readonly secureTransport: boolean;
  readonly sourceVpc?: string;
}

export interface TrustOptions {
  /** Addresses or CIDR blocks of proxies whose `X-Forwarded-For` / `X-Forwarded-Proto` are believed. */
  readonly trustedProxies?: readonly string[];
  /** A header a trusted gateway sets to the caller's VPC id (e.g. `x-source-vpc`; not an `x-acs-` name, which v3 requires the client to sign); ignored from anyone else. */
  readonly sourceVpcHeader?: string;
}

/** IPv4-mapped IPv6 (`::ffff:10.0.0.1`) is read as IPv4. */
function parse(text: string): Address | undefined {
  try {
    return ipaddr.process(text.trim());
  } catch {
    return undefined;
  }
}

function headerText(headers: ConnectionFacts["headers"], name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v.join(",") : (v as string | undefined);
}

export function compileTrust(options: TrustOptions): (facts: ConnectionFacts) => ClientOrigin {
  const ranges = (options.trustedProxies ?? []).map((entry): [Address, number] => {
    if (entry.includes("/")) return ipaddr.parseCIDR(entry);
    const address = ipaddr.parse(entry);
    return [address, address.kind() === "ipv4" ? 32 : 128];
  });
  const trusted = (address: Address): boolean =>
    ranges.some(([range, bits]) => range.kind() === address.kind() && address.match(range, bits));
  const vpcHeader = options.sourceVpcHeader?.toLowerCase();

  // Requests mostly come from the peer of the one before (keep-alive, a proxy): its reading, and its origin over
  // plain and TLS connections when it is not a trusted proxy, are kept.
  interface PeerReading {
    readonly text: string;
    readonly address: Address | undefined;
    readonly normalized: string;
    readonly trusted: boolean;
    readonly plain: ClientOrigin;
    readonly tls: ClientOrigin;
  }
  let lastPeer: PeerReading | undefined;
  const readPeer = (text: string): PeerReading => {
    if (lastPeer?.text !== text) {
      const address = parse(text);
      const normalized = address?.toString() ?? text;
      lastPeer = {
        text,
        address,
        normalized,
        trusted: address !== undefined && trusted(address),
        plain: Object.freeze({ sourceIp: normalized, secureTransport: false }),
        tls: Object.freeze({ sourceIp: normalized, secureTransport: true }),
      };
    }
    return lastPeer;
  };

  return (facts) => {
    if (facts.remoteAddress === undefined) return { sourceIp: undefined, secureTransport: facts.encrypted };
    const reading = readPeer(facts.remoteAddress);
    if (reading.address === undefined || !reading.trusted) return facts.encrypted ? reading.tls : reading.plain;

    // Walk X-Forwarded-For from the nearest hop outwards; the first hop no trusted proxy vouches for is the client.
    const hops = (headerText(facts.headers, "x-forwarded-for") ?? "").split(",").map((h) => h.trim()).filter(Boolean);
    let sourceIp = reading.normalized;
    for (let i = hops.length - 1; i >= 0; i--) {
      const hop = parse(hops[i]!);
      if (!hop) {
        sourceIp = hops[i]!;
        break;
      }
      sourceIp = hop.toString();
      if (!trusted(hop)) break;
    }
    const proto = headerText(facts.headers, "x-forwarded-proto")?.split(",").at(-1)?.trim().toLowerCase();
    const vpc = vpcHeader ? headerText(facts.headers, vpcHeader)?.trim() : undefined;
    return {
      sourceIp,
      secureTransport: proto === undefined ? facts.encrypted : proto === "https",
      ...(vpc ? { sourceVpc: vpc } : {}),
    };
  };
}
