/**
 * Which URLs a webhook may go to. A deployed stage may go LIVE, so there an endpoint is
 * `https://` and its host must resolve to public addresses only: never this machine, a private
 * network, link-local (169.254.169.254, the instance metadata) or any other special range, so that
 * nobody with a merchant token can make the service POST into AWS's or the VPC's insides. The host
 * is resolved when the endpoint is created or changed, and again at every connection, by the
 * HTTP agent's own `lookup` (./webhook-http.ts): the address it connects to is the one checked, so
 * a DNS answer that changes later (rebinding) is caught there. Locally (`npm start`, STAGE=local)
 * the receivers are on this machine: `http://` is taken for a loopback host only, `https://` for
 * any, and no address is refused.
 */
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { BlockList, isIP } from 'node:net';
import { LOCAL_STAGE } from '../config.ts';
import { MAX_URL_LENGTH } from './event-shape.ts';
import type { Resolver, UrlPolicy } from './ports.ts';

export type { Resolver, UrlPolicy };
export const urlPolicyOf = (stage: string): UrlPolicy => (stage === LOCAL_STAGE ? 'local' : 'public');

/** Why a URL is refused: one short word per rule, in the error's message and an attempt's `error`. */
export type UrlRefusal = 'not_a_url' | 'too_long' | 'scheme' | 'credentials' | 'http_not_loopback' | 'address_not_allowed' | 'host_not_found';

export class WebhookUrlError extends Error {
  override name = 'WebhookUrlError';
  readonly reason: UrlRefusal;
  constructor(reason: UrlRefusal, message: string) {
    super(message);
    this.reason = reason;
  }
}

/** The name resolution failed in a way a retry may fix (a timeout, a server failure). */
export class DnsUnavailableError extends Error {
  override name = 'DnsUnavailableError';
}

/**
 * Every range that is not the public internet, as IANA's special-purpose registries list them.
 * IPv4-mapped, NAT64 and 6to4 addresses carry an IPv4 address, which is checked instead.
 */
const NOT_PUBLIC = (() => {
  const b = new BlockList();
  for (const [net, prefix] of [
    ['0.0.0.0', 8], // this network
    ['10.0.0.0', 8],
    ['100.64.0.0', 10], // carrier-grade NAT
    ['127.0.0.0', 8], // loopback
    ['169.254.0.0', 16], // link-local: the instance metadata service (169.254.169.254), ECS's 169.254.170.2
    ['172.16.0.0', 12],
    ['192.0.0.0', 24], // IETF protocol assignments
    ['192.0.2.0', 24], // documentation
    ['192.88.99.0', 24], // 6to4 relay anycast
    ['192.168.0.0', 16],
    ['198.18.0.0', 15], // benchmarking
    ['198.51.100.0', 24], // documentation
    ['203.0.113.0', 24], // documentation
    ['224.0.0.0', 4], // multicast
    ['240.0.0.0', 4], // reserved, and 255.255.255.255
  ] as const)
    b.addSubnet(net, prefix, 'ipv4');
  for (const [net, prefix] of [
    ['::', 128], // unspecified
    ['::1', 128], // loopback
    ['100::', 64], // discard
    ['2001::', 23], // IETF protocol assignments (Teredo, ORCHID, …)
    ['2001:db8::', 32], // documentation
    ['fc00::', 7], // unique local: the instance metadata service's fd00:ec2::254
    ['fe80::', 10], // link-local
    ['fec0::', 10], // site-local (deprecated)
    ['ff00::', 8], // multicast
  ] as const)
    b.addSubnet(net, prefix, 'ipv6');
  return b;
})();

/** The IPv4 address an IPv6 one carries (IPv4-mapped `::ffff:a.b.c.d`, NAT64 `64:ff9b::/96`, 6to4 `2002::/16`), if any. */
function embeddedIpv4(ip: string): string | undefined {
  const words = expandIpv6(ip);
  if (words === undefined) return undefined;
  const v4 = (hi: number, lo: number): string => `${hi >> 8}.${hi & 0xff}.${lo >> 8}.${lo & 0xff}`;
  const zero = (from: number, to: number): boolean => words.slice(from, to).every((w) => w === 0);
  if (zero(0, 5) && words[5] === 0xffff) return v4(words[6] ?? 0, words[7] ?? 0);
  // IPv4-compatible (deprecated, `::a.b.c.d`), never `::` or `::1` themselves.
  if (zero(0, 6) && ((words[6] ?? 0) !== 0 || (words[7] ?? 0) > 1)) return v4(words[6] ?? 0, words[7] ?? 0);
  if (words[0] === 0x64 && words[1] === 0xff9b && zero(2, 6)) return v4(words[6] ?? 0, words[7] ?? 0);
  if (words[0] === 0x2002) return v4(words[1] ?? 0, words[2] ?? 0);
  return undefined;
}

/** The eight 16-bit words of an IPv6 address (dotted IPv4 tail included), or undefined. */
function expandIpv6(ip: string): number[] | undefined {
  let s = ip.toLowerCase();
  const zone = s.indexOf('%');
  if (zone !== -1) s = s.slice(0, zone);
  const tail = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(s);
  if (tail !== null) {
    const [a, b, c, d] = tail.slice(1).map(Number) as [number, number, number, number];
    s = `${s.slice(0, tail.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const halves = s.split('::');
  if (halves.length > 2) return undefined;
  const part = (x: string | undefined): number[] => (x === undefined || x === '' ? [] : x.split(':').map((w) => Number.parseInt(w, 16)));
  const head = part(halves[0]);
  const rest = part(halves[1]);
  const fill = halves.length === 2 ? 8 - head.length - rest.length : 0;
  const words = [...head, ...Array<number>(Math.max(0, fill)).fill(0), ...rest];
  return words.length === 8 && words.every((w) => Number.isInteger(w) && w >= 0 && w <= 0xffff) ? words : undefined;
}

/** Whether `ip` (a literal IPv4 or IPv6 address) is on the public internet. */
export function isPublicAddress(ip: string): boolean {
  const family = isIP(ip);
  if (family === 4) return !NOT_PUBLIC.check(ip, 'ipv4');
  if (family !== 6) return false;
  const v4 = embeddedIpv4(ip);
  if (v4 !== undefined) return isPublicAddress(v4);
  return !NOT_PUBLIC.check(ip.split('%')[0] ?? ip, 'ipv6');
}

/** True for a host on this machine: `localhost` (or `*.localhost`), 127.0.0.0/8, ::1. */
export function isLoopbackHost(host: string): boolean {
  const h = host.toLowerCase().replace(/^\[|\]$/g, '');
  if (h === 'localhost' || h.endsWith('.localhost')) return true;
  if (isIP(h) === 4) return h.startsWith('127.');
  if (isIP(h) === 6) return expandIpv6(h)?.every((w, i) => w === (i === 7 ? 1 : 0)) === true || embeddedIpv4(h)?.startsWith('127.') === true;
  return false;
}

/** The host of a URL as DNS or an address literal takes it (`[::1]` without its brackets). */
export const hostOf = (u: URL): string => u.hostname.replace(/^\[|\]$/g, '');

/**
 * What can be said of a URL without the network: refused (WebhookUrlError naming why), or the
 * parsed URL. `public`: https only, and an address literal must be public (a name is resolved by
 * checkEndpointUrl and at every connection).
 */
export function checkUrlShape(raw: string, policy: UrlPolicy): URL {
  if (raw.length > MAX_URL_LENGTH) throw new WebhookUrlError('too_long', `the URL is longer than ${MAX_URL_LENGTH} characters`);
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    throw new WebhookUrlError('not_a_url', 'not an absolute URL');
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') throw new WebhookUrlError('scheme', 'the URL must be https:// (or, on this machine in the local stack, http://)');
  // A password in the URL would be shown by every GET of the endpoint.
  if (u.username !== '' || u.password !== '') throw new WebhookUrlError('credentials', 'the URL must not hold a user name or password: authenticate deliveries by their signature');
  if (u.hostname === '') throw new WebhookUrlError('not_a_url', 'the URL has no host');
  if (policy === 'public') {
    if (u.protocol !== 'https:') throw new WebhookUrlError('scheme', 'the URL must be https://: a deployed stage takes no other');
    const host = hostOf(u);
    if (isIP(host) !== 0 ? !isPublicAddress(host) : isLoopbackHost(host)) throw new WebhookUrlError('address_not_allowed', 'the URL names a private, loopback, link-local or otherwise non-public address');
  } else if (u.protocol === 'http:' && !isLoopbackHost(u.hostname)) {
    throw new WebhookUrlError('http_not_loopback', 'an http:// URL must be on this machine (localhost, 127.0.0.1, [::1]); use https:// for any other host');
  }
  return u;
}

/** Resolves every address of `host` (no cache but the system's). */
export const systemResolver: Resolver = (host) =>
  new Promise((resolve, reject) => dnsLookup(host, { all: true, verbatim: true }, (e, addresses) => (e ? reject(e) : resolve(addresses))));

const NOT_FOUND = new Set(['ENOTFOUND', 'ENODATA', 'EAI_NONAME', 'EAI_NODATA']);

/**
 * The addresses `host` resolves to, all of them public; a WebhookUrlError when any is not (a name
 * that also answers with a private address could be made to connect there) or the name does not
 * exist, a DnsUnavailableError when the resolution failed otherwise.
 */
export async function publicAddresses(host: string, resolve: Resolver = systemResolver): Promise<LookupAddress[]> {
  if (isIP(host) !== 0) {
    if (!isPublicAddress(host)) throw new WebhookUrlError('address_not_allowed', 'the URL names a non-public address');
    return [{ address: host, family: isIP(host) }];
  }
  let addresses: LookupAddress[];
  try {
    addresses = await resolve(host);
  } catch (e) {
    const code = (e as { code?: string }).code ?? '';
    if (NOT_FOUND.has(code)) throw new WebhookUrlError('host_not_found', `the URL's host does not resolve (${code})`);
    throw new DnsUnavailableError(`the URL's host could not be resolved now (${code || 'error'})`, { cause: e });
  }
  if (addresses.length === 0) throw new WebhookUrlError('host_not_found', "the URL's host has no address");
  if (addresses.some((a) => !isPublicAddress(a.address))) throw new WebhookUrlError('address_not_allowed', "the URL's host resolves to a private, loopback, link-local or otherwise non-public address");
  return addresses;
}

/** An endpoint URL as creation and changes check it: its shape, and (public) the addresses its host resolves to now. */
export async function checkEndpointUrl(raw: string, policy: UrlPolicy, resolve: Resolver = systemResolver): Promise<string> {
  const u = checkUrlShape(raw, policy);
  if (policy === 'public') await publicAddresses(hostOf(u), resolve);
  return u.toString();
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * The `lookup` of the public policy's HTTP agent: resolves the host, refuses it when any address is
 * not public (the connection then fails with code EADDRNOTALLOWED, recorded as
 * `address_not_allowed`), and hands the socket exactly the addresses it checked.
 */
export function publicLookup(resolve: Resolver = systemResolver) {
  return (hostname: string, options: { all?: boolean } | number | undefined, callback: LookupCallback): void => {
    publicAddresses(hostname, resolve).then(
      (addresses) => {
        if (typeof options === 'object' && options.all === true) callback(null, addresses);
        else callback(null, addresses[0]?.address ?? '', addresses[0]?.family ?? 4);
      },
      (e: unknown) => {
        const err = new Error((e as Error).message) as NodeJS.ErrnoException;
        err.code = e instanceof WebhookUrlError ? (e.reason === 'host_not_found' ? 'ENOTFOUND' : ADDRESS_REFUSED) : 'EAI_AGAIN';
        callback(err, '', 0);
      },
    );
  };
}

/** The error code a connection refused by publicLookup fails with. */
export const ADDRESS_REFUSED = 'EADDRNOTALLOWED';
