// @ts-check
/**
 * The layers of docs/ARCHITECTURE.md, and no import cycles, checked by `npm run lint`
 * (dependency-cruiser: it sees the whole import graph, type-only imports included, which a per-file
 * lint rule cannot; eslint.config.js keeps local/, test/ and bench/ out of the deployed code).
 *
 *   functions/      wire: the composition root, the HTTP edge and the use cases; never an adapter
 *   shared/deps.ts, shared/authorizer-container.ts
 *                   the composition roots: the only code that builds the adapters
 *   shared/http/    the HTTP edge, above the use cases; never an adapter, never the composition root
 *   shared/payments/, shared/events/, shared/ledger/
 *                   the use cases: domain, contracts and foundation; never http/, an adapter or the
 *                   composition root. payments/ is the lowest area: the ledger reads only its
 *                   contracts, the events read the ledger's use cases and payments' contracts
 *   shared/toss/, shared/store/, shared/events/event-bus.ts
 *                   the adapters: domain, contracts and foundation, and their own folder only
 *   contracts       what both sides of a boundary agree on: the ports, the errors a port or a use
 *                   case throws, the request and reply schemas and the views of the API, Toss's reply
 *                   schemas, the table's definition, the cursor format
 *   foundation      shared/*.ts: configuration, zod, metric names and the meter, the logger, the
 *                   route table, the deadline rule, the function chain; with the contracts, they
 *                   import nothing but each other and the domain
 *   shared/domain/  pure: imports nothing of ours
 *   console/        the operator console's browser code: the API's contracts, the domain and the
 *                   foundation (roles, the user pool's rules), never what runs behind the API
 *   clients/typescript/
 *                   the typed client a merchant copies: its generated schema alone
 */

const OURS = '^(shared|functions|local|infra|bench|test|tools|docs|console|clients)/';
const DOMAIN = '^shared/domain/';
const CONTRACTS = [
  '^shared/(payments|events|ledger)/(ports|errors|request-schemas|reply-schemas)[.]ts$',
  '^shared/payments/order-view[.]ts$',
  '^shared/events/(event-shape|envelope)[.]ts$',
  '^shared/toss/(errors|schemas)[.]ts$',
  '^shared/store/(errors|table)[.]ts$',
  '^shared/http/(error-codes|error-schema)[.]ts$',
  '^shared/(paging|api-types)[.]ts$',
];
const ROOTS = '^shared/(deps|authorizer-container)[.]ts$';
/** shared/*.ts that is neither a composition root nor a contract. */
const FOUNDATION = '^shared/[^/]+[.]ts$';
const BELOW = [DOMAIN, ...CONTRACTS, FOUNDATION];
const ADAPTERS = ['^shared/(toss|store)/', '^shared/events/event-bus[.]ts$'];
const USE_CASES = '^shared/(payments|events|ledger)/';
const HTTP = '^shared/http/';

/** @type {import('dependency-cruiser').IConfiguration} */
export default {
  forbidden: [
    {
      name: 'no-cycles',
      comment: 'No import cycle, type-only imports included: a module and what it imports can be read (and changed) in order.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'domain-is-pure',
      comment: 'shared/domain imports nothing of ours beside itself.',
      severity: 'error',
      from: { path: DOMAIN },
      to: { path: OURS, pathNot: DOMAIN },
    },
    {
      name: 'foundation-and-contracts-stand-alone',
      comment: 'The contracts and the foundation import only each other and the domain: everything else stands on them.',
      severity: 'error',
      from: { path: [...CONTRACTS, FOUNDATION], pathNot: ROOTS },
      to: { path: OURS, pathNot: BELOW },
    },
    {
      name: 'adapters-import-domain-and-ports',
      comment: 'An adapter (shared/toss, shared/store, the event bus) imports the domain, the contracts (its ports), the foundation and its own folder: never a use case, the HTTP edge, another adapter or the composition root.',
      severity: 'error',
      from: { path: ADAPTERS, pathNot: CONTRACTS },
      to: { path: OURS, pathNot: [...BELOW, '^shared/$1/'] },
    },
    {
      name: 'use-cases-import-domain-and-ports',
      comment: 'A use case imports the domain, the contracts and the foundation, and use cases: never the HTTP edge, an adapter or the composition root.',
      severity: 'error',
      from: { path: USE_CASES, pathNot: [...CONTRACTS, ...ADAPTERS] },
      to: { path: [HTTP, ...ADAPTERS, ROOTS, '^(functions|local|infra|bench|test|tools|console|clients)/'], pathNot: CONTRACTS },
    },
    {
      name: 'payments-is-the-lowest-area',
      comment: "The payment use cases read no other area's: the events and the ledger derive from payments, not the other way.",
      severity: 'error',
      from: { path: '^shared/payments/' },
      to: { path: '^shared/(events|ledger)/', pathNot: CONTRACTS },
    },
    {
      name: 'ledger-reads-payments-contracts-only',
      comment: "The ledger reads payments' contracts only, and nothing of the events.",
      severity: 'error',
      from: { path: '^shared/ledger/' },
      to: { path: '^shared/(payments|events)/', pathNot: CONTRACTS },
    },
    {
      name: 'events-read-payments-contracts-only',
      comment: "The events read payments' contracts (its views, its schemas), never its use cases.",
      severity: 'error',
      from: { path: '^shared/events/' },
      to: { path: '^shared/payments/', pathNot: CONTRACTS },
    },
    {
      name: 'http-above-use-cases',
      comment: 'The HTTP edge uses the use cases and the contracts: never an adapter or the composition root (a function gives it its container).',
      severity: 'error',
      from: { path: HTTP },
      to: { path: [...ADAPTERS, ROOTS, '^(functions|local|infra|bench|test|tools|console|clients)/'], pathNot: CONTRACTS },
    },
    {
      name: 'functions-wire',
      comment: 'A function wires its container (shared/deps.ts) to the HTTP edge and the use cases: it never reaches an adapter itself, nor another function.',
      severity: 'error',
      from: { path: '^functions/([^/]+)/' },
      to: { path: [...ADAPTERS, '^functions/'], pathNot: [...CONTRACTS, '^functions/$1/'] },
    },
    {
      name: 'roots-are-imported-by-functions-only',
      comment: 'Only the functions (and local/, the tests, the benchmarks, the tools) import a composition root; the code it builds never does, nor the console.',
      severity: 'error',
      from: { path: '^(shared|console)/', pathNot: ROOTS },
      to: { path: ROOTS },
    },
    {
      name: 'console-reads-contracts',
      comment: "The console's browser code reads the API's contracts, the domain and the foundation: never a use case, the HTTP edge, an adapter or anything else behind the API.",
      severity: 'error',
      from: { path: '^console/' },
      to: { path: OURS, pathNot: [...BELOW, '^console/'] },
    },
    {
      name: 'typed-client-stands-alone',
      comment: 'The typed TypeScript client is copied into merchants\' projects: it imports its own files (the generated schema) and nothing else of ours.',
      severity: 'error',
      from: { path: '^clients/typescript/' },
      to: { path: OURS, pathNot: '^clients/typescript/' },
    },
  ],
  options: {
    // Type-only imports count: they are dependencies, and cycles through them are cycles.
    tsPreCompilationDeps: true,
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|cdk[.]out|coverage|[.]git)/' },
    moduleSystems: ['es6'],
  },
};
