/**
 * CALLBACK_ALLOWED_IPS: entries are a single IPv4 address, a CIDR (`a.b.c.d/n`) or a range
 * (`a.b.c.d-a.b.c.e`, or Toss's shorthand `a.b.c.80-87`).
 */
export function ipv4ToInt(s: string): number | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(s.trim());
  if (m === null) return undefined;
  const parts = m.slice(1).map(Number);
  if (parts.some((p) => p > 255)) return undefined;
  return parts.reduce((acc, p) => acc * 256 + p, 0);
}

type Range = { lo: number; hi: number };

export function parseAllowEntry(entry: string): Range {
  const e = entry.trim();
  const cidr = /^([\d.]+)\/(\d{1,2})$/.exec(e);
  if (cidr !== null) {
    const base = ipv4ToInt(cidr[1] ?? '');
    const bits = Number(cidr[2]);
    if (base === undefined || bits > 32) throw new Error(`invalid CIDR in CALLBACK_ALLOWED_IPS: ${e}`);
    const size = 2 ** (32 - bits);
    const lo = Math.floor(base / size) * size;
    return { lo, hi: lo + size - 1 };
  }
  const dash = e.indexOf('-');
  if (dash > 0) {
    const from = e.slice(0, dash);
    const toRaw = e.slice(dash + 1);
    const lo = ipv4ToInt(from);
    const to = /^\d{1,3}$/.test(toRaw) ? `${from.slice(0, from.lastIndexOf('.'))}.${toRaw}` : toRaw;
    const hi = ipv4ToInt(to);
    if (lo === undefined || hi === undefined || hi < lo) throw new Error(`invalid range in CALLBACK_ALLOWED_IPS: ${e}`);
    return { lo, hi };
  }
  const ip = ipv4ToInt(e);
  if (ip === undefined) throw new Error(`invalid address in CALLBACK_ALLOWED_IPS: ${e}`);
  return { lo: ip, hi: ip };
}

/** A predicate for source addresses; IPv4-mapped IPv6 (`::ffff:a.b.c.d`) is understood. */
export function ipAllowList(entries: readonly string[]): (ip: string | undefined) => boolean {
  const ranges = entries.map(parseAllowEntry);
  return (ip) => {
    if (ip === undefined) return false;
    const n = ipv4ToInt(ip.replace(/^::ffff:/i, ''));
    return n !== undefined && ranges.some((r) => n >= r.lo && n <= r.hi);
  };
}
