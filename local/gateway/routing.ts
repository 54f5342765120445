/**
 * Route matching as API Gateway HTTP APIs do it: the method must match, a route with a literal
 * path beats one with `{param}` segments (so `GET /payments/return` never reaches
 * `/payments/{orderNo}`), and among parameterised routes the one with more literal segments
 * wins. `{name+}` is a greedy parameter that takes the rest of the path.
 */
import type { Route } from '../../shared/routes.ts';

export interface RouteMatch {
  readonly route: Route;
  /** URL-decoded values, absent when the route has no parameters. */
  readonly pathParameters: Record<string, string> | undefined;
}

interface Compiled {
  readonly route: Route;
  readonly segments: readonly Segment[];
  readonly literals: number;
}

type Segment =
  | { kind: 'literal'; value: string }
  | { kind: 'param'; name: string }
  | { kind: 'greedy'; name: string };

function compile(route: Route): Compiled {
  const segments: Segment[] = route.path
    .split('/')
    .slice(1)
    .map((s): Segment => {
      const greedy = /^\{([^{}]+)\+\}$/.exec(s);
      if (greedy?.[1] !== undefined) return { kind: 'greedy', name: greedy[1] };
      const param = /^\{([^{}]+)\}$/.exec(s);
      if (param?.[1] !== undefined) return { kind: 'param', name: param[1] };
      return { kind: 'literal', value: s };
    });
  return { route, segments, literals: segments.filter((s) => s.kind === 'literal').length };
}

function decode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

function matchPath(c: Compiled, parts: readonly string[]): Record<string, string> | undefined {
  const params: Record<string, string> = {};
  for (let i = 0; i < c.segments.length; i++) {
    const seg = c.segments[i];
    if (seg === undefined) return undefined;
    if (seg.kind === 'greedy') {
      const rest = parts.slice(i);
      if (rest.length === 0 || rest.every((p) => p === '')) return undefined;
      params[seg.name] = decode(rest.join('/'));
      return params;
    }
    const part = parts[i];
    if (part === undefined) return undefined;
    if (seg.kind === 'literal') {
      if (part !== seg.value) return undefined;
    } else {
      if (part === '') return undefined;
      params[seg.name] = decode(part);
    }
  }
  return parts.length === c.segments.length ? params : undefined;
}

/** Builds a matcher over `routes`; the matcher takes the method and the raw (undecoded) path. */
export function createRouter(routes: readonly Route[]): (method: string, rawPath: string) => RouteMatch | undefined {
  const compiled = routes.map(compile).sort((a, b) => {
    const aExact = a.literals === a.segments.length ? 1 : 0;
    const bExact = b.literals === b.segments.length ? 1 : 0;
    if (aExact !== bExact) return bExact - aExact;
    const aGreedy = a.segments.some((s) => s.kind === 'greedy') ? 1 : 0;
    const bGreedy = b.segments.some((s) => s.kind === 'greedy') ? 1 : 0;
    if (aGreedy !== bGreedy) return aGreedy - bGreedy;
    return b.literals - a.literals;
  });
  return (method, rawPath) => {
    const parts = rawPath.split('/').slice(1);
    for (const c of compiled) {
      if (c.route.method !== method.toUpperCase()) continue;
      const params = matchPath(c, parts);
      if (params === undefined) continue;
      return { route: c.route, pathParameters: Object.keys(params).length > 0 ? params : undefined };
    }
    return undefined;
  };
}
