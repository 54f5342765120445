/**
 * CALLBACK_ALLOWED_IPS, as a Node `net.BlockList` (used here as an allow list). Entries are an
 * IPv4 address, a CIDR (`a.b.c.d/n`) or a range (`a.b.c.d-a.b.c.e`, or Toss's shorthand
 * `a.b.c.80-87`). IPv4-mapped IPv6 sources (`::ffff:a.b.c.d`) match their IPv4 entries.
 */
import { BlockList, isIPv4 } from 'node:net';

const invalid = (entry: string): Error => new Error(`invalid entry in CALLBACK_ALLOWED_IPS: ${entry}`);

/** Adds one entry to `list`; throws naming CALLBACK_ALLOWED_IPS when it is not one of the forms above. */
export function addAllowEntry(list: BlockList, entry: string): void {
  const e = entry.trim();
  const cidr = /^([\d.]+)\/(\d{1,2})$/.exec(e);
  const dash = e.indexOf('-');
  try {
    if (cidr !== null) {
      const [, base = '', bits] = cidr;
      if (!isIPv4(base) || Number(bits) > 32) throw invalid(e);
      list.addSubnet(base, Number(bits), 'ipv4');
    } else if (dash > 0) {
      const from = e.slice(0, dash);
      const toRaw = e.slice(dash + 1);
      const to = /^\d{1,3}$/.test(toRaw) ? `${from.slice(0, from.lastIndexOf('.'))}.${toRaw}` : toRaw;
      if (!isIPv4(from) || !isIPv4(to)) throw invalid(e);
      list.addRange(from, to, 'ipv4');
    } else {
      if (!isIPv4(e)) throw invalid(e);
      list.addAddress(e, 'ipv4');
    }
  } catch (err) {
    // BlockList's own refusals (e.g. a range that ends before it starts) name no variable.
    throw (err as Error).message.includes('CALLBACK_ALLOWED_IPS') ? err : invalid(e);
  }
}

/** A predicate for source addresses. */
export function ipAllowList(entries: readonly string[]): (ip: string | undefined) => boolean {
  const list = new BlockList();
  for (const entry of entries) addAllowEntry(list, entry);
  return (ip) => {
    if (ip === undefined) return false;
    if (isIPv4(ip)) return list.check(ip, 'ipv4');
    return /^::ffff:/i.test(ip) && list.check(ip, 'ipv6');
  };
}
