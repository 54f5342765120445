/**
 * The API's types, generated from docs/openapi.json by openapi-typescript (tools/client-types.ts,
 * run by `npm run openapi`). Do not edit: change the code, then run `npm run openapi`.
 */

export interface paths {
    "/payments": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List orders, newest first
         * @description By day (the last 30 days without `from`) or only the flagged ones (`attention=true`: the last year). Page with `cursor`. Needs `payments:read`: merchant tokens and console users of the viewer, operator, admin roles; others get 403 FORBIDDEN_ROLE.
         */
        get: operations["listPayments"];
        put?: never;
        /**
         * Create a payment
         * @description Records the order, then creates the payment at Toss; send the buyer to `checkoutPage`. The orderNo is the idempotency key: the same request again answers 200 with the same payment, another body under the same orderNo 409 ORDER_NO_CONFLICT. Needs `payments:create`: merchant tokens only; others get 403 FORBIDDEN_ROLE.
         */
        post: operations["createPayment"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/payments/return": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The buyer's return landing (Toss's retUrl)
         * @description Reached by the buyer's browser, sent by Toss. The query proves nothing: the order is resolved with Toss's status API, at most once every 2 s per order (`LANDING_CHECK_INTERVAL_MS`) however many requests arrive; the others answer from the stored order. An approved order created with `autoExecute: false` is executed here: never twice at once, and again on a later visit or reconciler pass if Toss failed for sure. The reply is a Korean result page or, with MERCHANT_RESULT_URL, a 303 to that URL with `orderNo` and `result` (and for the buyer `timestamp` and `signature`, see docs/guides/integrate-your-shop.md). The order is shown only to the buyer, whose request carries the landing token `t` of the URL given to Toss; without it (an `orderNo` alone) or with a wrong one, the page says whether the order is done, nothing about it. A buyer never sees an error: an unknown order gets the not-found page (404), a failure the "still confirming" page with the failure's status, which reloads itself. Pages are never framed (`Content-Security-Policy: frame-ancestors 'none'`, `X-Frame-Options: DENY`).
         */
        get: operations["returnLanding"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/payments/cancel": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The buyer's cancel landing (Toss's retCancelUrl)
         * @description Reached by the buyer's browser, sent by Toss. The query proves nothing: the order is resolved with Toss's status API, at most once every 2 s per order (`LANDING_CHECK_INTERVAL_MS`) however many requests arrive; the others answer from the stored order. PAY_CANCEL is recorded only when Toss's status confirms it. The reply is a Korean result page or, with MERCHANT_RESULT_URL, a 303 to that URL with `orderNo` and `result` (and for the buyer `timestamp` and `signature`, see docs/guides/integrate-your-shop.md). The order is shown only to the buyer, whose request carries the landing token `t` of the URL given to Toss; without it (an `orderNo` alone) or with a wrong one, the page says whether the order is done, nothing about it. A buyer never sees an error: an unknown order gets the not-found page (404), a failure the "still confirming" page with the failure's status, which reloads itself. Pages are never framed (`Content-Security-Policy: frame-ancestors 'none'`, `X-Frame-Options: DENY`).
         */
        get: operations["cancelLanding"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/payments/callback": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Toss's resultCallback
         * @description Called by Toss, never by merchants. V2 JSON or V1 form. The body is only a hint: it is confirmed with Toss's status API, then orderNo, payToken, amount and mode are checked against the stored order. Answers 200 when the order is (now or already) paid; 4xx when refused (nothing written); 5xx when a retry may succeed, so Toss retries.
         */
        post: operations["tossCallback"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/payments/{orderNo}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Read an order
         * @description The stored order, its money, its refunds and its history. `refresh=true` asks Toss first (its status and its refunds). Needs `payments:read`: merchant tokens and console users of the viewer, operator, admin roles; others get 403 FORBIDDEN_ROLE.
         */
        get: operations["getPayment"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/payments/by-pay-token/{payToken}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Find an order by its payToken
         * @description The order whose Toss payment has this payToken, as GET /payments/{orderNo} shows it. Toss's status of the payToken names its orderNo (one Toss call; nothing is written), and the order must hold that payToken (or have replaced it). 404 when Toss or this service knows no such payment. Needs `payments:read`: merchant tokens and console users of the viewer, operator, admin roles; others get 403 FORBIDDEN_ROLE.
         */
        get: operations["getPaymentByPayToken"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/payments/{orderNo}/refunds": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Refund a paid order (fully or partly)
         * @description Exactly once per Idempotency-Key: the same key and body again answers 200 with the same refund, another body 409 IDEMPOTENCY_KEY_REUSED. A refund Toss did not answer stays PENDING and is settled by the same request again or by the reconciler; while a call to Toss about it runs, the same request gets 409 REFUND_IN_PROGRESS with Retry-After and nothing is sent. An order holds at most 100 refunds (422 REFUND_LIMIT_REACHED, checked before Toss is asked). Needs `payments:refund`: merchant tokens and console users of the operator, admin roles; others get 403 FORBIDDEN_ROLE.
         */
        post: operations["refundPayment"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/payments/{orderNo}/cancel": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Cancel an order nobody has paid
         * @description A paid order is refunded instead (409 ORDER_PAID, also when the buyer paid a moment before). The body is optional: `reason` (at most 50 characters, Toss's limit) is sent to Toss and shown as the order's `cancelNote` and in payment.cancelled. Already cancelled: 200. Being created or executed: 409 ORDER_NOT_CANCELABLE (retry). When Toss's cancel goes unanswered, Toss's status decides: cancelled 200, paid 409 ORDER_PAID, still waiting 504 TOSS_TIMEOUT (retry). Needs `payments:cancel`: merchant tokens and console users of the operator, admin roles; others get 403 FORBIDDEN_ROLE.
         */
        post: operations["cancelPayment"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/payments/{orderNo}/events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * One order's events, with their webhook deliveries
         * @description Oldest first (in log order), from an index of the events by order (never a Scan). Page with `after` (the `next` of the previous page): a cursor made for another order, or not made by this API, is 400 INVALID_CURSOR. A page holds at most `limit` events and 1 MiB. Events logged before this listing existed are not in it (GET /events has them). Needs `events:read`: merchant tokens and console users of the viewer, operator, admin roles; others get 403 FORBIDDEN_ROLE.
         */
        get: operations["listOrderEvents"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/stats": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The overview: orders, payments, refunds and webhooks per day
         * @description Per Korea-time day of creation (`from` to `to`, at most 31 days; default the last 7): orders, paid ones and their amount, refunds, cancels, abandoned and failed ones; the orders flagged for a person; how the latest 200 webhook deliveries went. Read from the indexes (never a Scan), at most 10,000 orders: past that, `complete: false`. Needs `payments:read`: merchant tokens and console users of the viewer, operator, admin roles; others get 403 FORBIDDEN_ROLE.
         */
        get: operations["getStats"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The event log, oldest first
         * @description Events are listed at once, in log order: following `next` (or the last `cursor` you got) shows every event exactly once, however late it was written. A page holds at most `limit` events and 1 MiB. A cursor this log did not hand out (altered, made up, past the end of the log) is refused: 400 INVALID_CURSOR. Needs `events:read`: merchant tokens and console users of the viewer, operator, admin roles; others get 403 FORBIDDEN_ROLE.
         */
        get: operations["listEvents"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/events/failed": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Events whose webhook delivery failed
         * @description The events whose delivery gave up after its last retry, the latest failure first (POST /events/{id}/redeliver sends one again, POST /events/redeliver all since a time). Page with `after`: a cursor not made by this listing is 400 INVALID_CURSOR. A page holds at most `limit` events and 1 MiB. Needs `events:read`: merchant tokens and console users of the viewer, operator, admin roles; others get 403 FORBIDDEN_ROLE.
         */
        get: operations["listFailedEvents"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/events/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * One event, with its webhook deliveries
         * @description Needs `events:read`: merchant tokens and console users of the viewer, operator, admin roles; others get 403 FORBIDDEN_ROLE.
         */
        get: operations["getEvent"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/events/{id}/redeliver": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Send an event to its webhook endpoints again, now
         * @description To every endpoint the event was given to that is still there and enabled (none left: to the endpoints that want it now), or, with `endpointId`, to that one (even one it was not given to). One attempt each, at once; if it fails, the retry schedule starts over. Needs `events:redeliver`: merchant tokens and console users of the operator, admin roles; others get 403 FORBIDDEN_ROLE.
         */
        post: operations["redeliverEvent"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/events/redeliver": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Queue every delivery that failed since a time for a new round
         * @description Every endpoint's, or (`endpointId`) one endpoint's. Needs `events:redeliver`: merchant tokens and console users of the operator, admin roles; others get 403 FORBIDDEN_ROLE.
         */
        post: operations["redeliverFailed"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/transactions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The ledger: every Toss transaction by time (거래 대사)
         * @description Every PAY and REFUND transaction of the orders, with Toss's transactionId, oldest first: reconcile with Toss by it. Without `from`, the 30 days before `to` (default now); at most 366 days. Page with `cursor`, giving the same `from` and `to`: a cursor made for another query, or not made by this API, is 400 INVALID_CURSOR. `Accept: text/csv` answers a CSV for Excel (UTF-8 with a byte order mark, CRLF, a header row; the time in Korea time and as ISO 8601; a text cell a spreadsheet would run as a formula starts with an apostrophe); the next page's address is then in a `Link` header (`rel="next"`). Needs `payments:read`: merchant tokens and console users of the viewer, operator, admin roles; others get 403 FORBIDDEN_ROLE.
         */
        get: operations["listTransactions"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/webhook-endpoints": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List the webhook endpoints
         * @description Without their secrets. MERCHANT_WEBHOOK_URL, when configured, is `we_env`. Needs `webhooks:manage`: merchant tokens and console users of the admin role; others get 403 FORBIDDEN_ROLE.
         */
        get: operations["listWebhookEndpoints"];
        put?: never;
        /**
         * Add a webhook endpoint
         * @description Where events are POSTed, signed with the endpoint's own secret (`whsec_…`, in this reply only). At most 20 (422 WEBHOOK_ENDPOINT_LIMIT_REACHED; two creates at once can never make more). A deployed stage takes `https://` URLs whose host resolves to public addresses only (400 WEBHOOK_URL_NOT_ALLOWED), checked again at every delivery; the local stack also `http://` on the machine itself. Events logged from now on go to it, those of its `eventTypes` only (all without). Needs `webhooks:manage`: merchant tokens and console users of the admin role; others get 403 FORBIDDEN_ROLE.
         */
        post: operations["createWebhookEndpoint"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/webhook-endpoints/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A webhook endpoint and its health
         * @description Its last attempt, its failing streak, the last 24 hours' attempts and success rate, and its oldest undelivered event. An endpoint of the API whose every attempt fails for WEBHOOK_DISABLE_AFTER_DAYS is disabled (`disabledReason: failing`). Needs `webhooks:manage`: merchant tokens and console users of the admin role; others get 403 FORBIDDEN_ROLE.
         */
        get: operations["getWebhookEndpoint"];
        put?: never;
        post?: never;
        /**
         * Delete a webhook endpoint
         * @description Its pending deliveries are cancelled. Needs `webhooks:manage`: merchant tokens and console users of the admin role; others get 403 FORBIDDEN_ROLE.
         */
        delete: operations["deleteWebhookEndpoint"];
        options?: never;
        head?: never;
        /**
         * Change a webhook endpoint
         * @description `url`, `description`, `eventTypes`, `enabled`; the others stay. `enabled: true` on a disabled endpoint sends again what it missed (waiting and failed deliveries, queued oldest first, through the retrier) and starts its failing streak afresh. The configured endpoint (`we_env`) is changed by a deployment: 409 WEBHOOK_ENDPOINT_MANAGED_BY_CONFIGURATION. Needs `webhooks:manage`: merchant tokens and console users of the admin role; others get 403 FORBIDDEN_ROLE.
         */
        patch: operations["updateWebhookEndpoint"];
        trace?: never;
    };
    "/webhook-endpoints/{id}/rotate-secret": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Rotate a webhook endpoint's secret
         * @description A new secret, in this reply only. For WEBHOOK_SECRET_ROTATION_HOURS (24 by default; `previousSecretExpiresAt`) every delivery carries both signatures in `webhook-signature`, so a receiver verifying with either accepts it; then only the new one. Rotating again within that time drops the oldest at once. Needs `webhooks:manage`: merchant tokens and console users of the admin role; others get 403 FORBIDDEN_ROLE.
         */
        post: operations["rotateWebhookEndpointSecret"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/webhook-endpoints/{id}/test": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Send a webhook.test event to an endpoint, now
         * @description Signed like every delivery, enabled or not; not logged and not counted in its health. The reply says what the receiver did. Needs `webhooks:manage`: merchant tokens and console users of the admin role; others get 403 FORBIDDEN_ROLE.
         */
        post: operations["testWebhookEndpoint"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/openapi.json": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * This document
         * @description Public. Cached for 5 minutes; `If-None-Match` with its ETag answers 304.
         */
        get: operations["openApiDocument"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/console": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The operator console
         * @description A Korean web page for the merchant's staff: people sign in with the stack's user pool (roles viewer, operator, admin) and the page calls this API with their token. Public (it holds no data); strict Content-Security-Policy, never framed.
         */
        get: operations["console"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/console/{asset}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The console's script and style sheet
         * @description Named by their content (a year in caches).
         */
        get: operations["consoleAsset"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/docs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * This document, rendered
         * @description Public. An HTML page (Swagger UI, its files served by this API under `/docs/`): browse the routes, their bodies and replies, and "Try it out" with a merchant token you type in (kept in the page, never stored). Nothing is loaded from elsewhere.
         */
        get: operations["apiDocsPage"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/docs/{asset}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A file of the rendered document's page
         * @description Swagger UI and the page's own style and script, cached for good (the page names each with `?v=<digest>`); gzipped when the client accepts it.
         */
        get: operations["apiDocsAsset"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export interface webhooks {
    "payment.completed": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * payment.completed, POSTed to every webhook endpoint that wants it
         * @description Signed as Standard Webhooks describes (verify it). Deliveries repeat and may arrive out of order: key on `id`, order by `data.version`. Any 2xx is success; anything else is retried on WEBHOOK_RETRY_SCHEDULE.
         */
        post: operations["webhook.payment.completed"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "payment.cancelled": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * payment.cancelled, POSTed to every webhook endpoint that wants it
         * @description Signed as Standard Webhooks describes (verify it). Deliveries repeat and may arrive out of order: key on `id`, order by `data.version`. Any 2xx is success; anything else is retried on WEBHOOK_RETRY_SCHEDULE.
         */
        post: operations["webhook.payment.cancelled"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "payment.failed": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * payment.failed, POSTed to every webhook endpoint that wants it
         * @description Signed as Standard Webhooks describes (verify it). Deliveries repeat and may arrive out of order: key on `id`, order by `data.version`. Any 2xx is success; anything else is retried on WEBHOOK_RETRY_SCHEDULE.
         */
        post: operations["webhook.payment.failed"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "payment.refunded": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * payment.refunded, POSTed to every webhook endpoint that wants it
         * @description Signed as Standard Webhooks describes (verify it). Deliveries repeat and may arrive out of order: key on `id`, order by `data.version`. Any 2xx is success; anything else is retried on WEBHOOK_RETRY_SCHEDULE.
         */
        post: operations["webhook.payment.refunded"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "refund.failed": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * refund.failed, POSTed to every webhook endpoint that wants it
         * @description Signed as Standard Webhooks describes (verify it). Deliveries repeat and may arrive out of order: key on `id`, order by `data.version`. Any 2xx is success; anything else is retried on WEBHOOK_RETRY_SCHEDULE.
         */
        post: operations["webhook.refund.failed"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "payment.settled": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * payment.settled, POSTed to every webhook endpoint that wants it
         * @description Signed as Standard Webhooks describes (verify it). Deliveries repeat and may arrive out of order: key on `id`, order by `data.version`. Any 2xx is success; anything else is retried on WEBHOOK_RETRY_SCHEDULE.
         */
        post: operations["webhook.payment.settled"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "order.flagged": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * order.flagged, POSTed to every webhook endpoint that wants it
         * @description Signed as Standard Webhooks describes (verify it). Deliveries repeat and may arrive out of order: key on `id`, order by `data.version`. Any 2xx is success; anything else is retried on WEBHOOK_RETRY_SCHEDULE.
         */
        post: operations["webhook.order.flagged"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "endpoint.disabled": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * endpoint.disabled, POSTed to the other webhook endpoints that want it
         * @description An endpoint was disabled: every attempt to it failed for WEBHOOK_DISABLE_AFTER_DAYS. Signed as Standard Webhooks describes (verify it). Deliveries repeat and may arrive out of order: key on `id`, order by `data.version`. Any 2xx is success; anything else is retried on WEBHOOK_RETRY_SCHEDULE.
         */
        post: operations["webhook.endpoint.disabled"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "webhook.test": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * webhook.test, POSTed by POST /webhook-endpoints/{id}/test
         * @description Signed like every delivery; sent once, never retried, never logged.
         */
        post: operations["webhook.webhook.test"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export interface components {
    schemas: {
        /** @description Who asked for it: a merchant token or a console user. Absent for what Toss, the buyer or the reconciler did, and on records from before actors were kept. */
        Actor: {
            /** @description `merchant:<8 hex of the merchant token's SHA-256>`, or `user:<sub>` for a person signed in to the console (the user pool's subject). */
            id: string;
            /** @description A console user's email, as the user pool had it when they signed in. */
            email?: string;
        };
        Attention: {
            reason: string;
            /** Format: date-time */
            at: string;
        };
        CallbackReply: {
            /** @constant */
            result: "OK";
            orderNo: string;
            status: components["schemas"]["OrderStatus"];
        };
        /**
         * @description Why the order ended cancelled, as Toss told it: MERCHANT (Toss accepted the merchant's cancel), BUYER (the buyer quit the checkout: Toss sent the buyer back as it confirmed the cancel), UNKNOWN (Toss's status says cancelled, not why: the expiry, or a quit not seen). EXPIRED only on orders recorded before UNKNOWN existed.
         * @enum {string}
         */
        CancelReason: "BUYER" | "MERCHANT" | "UNKNOWN" | "EXPIRED";
        CancelRequest: {
            reason?: string;
        };
        CardFacts: {
            cardCompanyName?: string;
            /** @description Toss's card company code (1 신한, 2 현대, 3 삼성, 4 국민, 5 롯데, 6 하나, 7 우리, 8 농협, 10 BC). */
            cardCompanyCode?: number;
            /** @description CREDIT, CHECK or PREPAYMENT. */
            cardMethodType?: string;
            /** @description PERSONAL, PERSONAL_FAMILY, CORP_PERSONAL, CORP_PRIVATE or CORP_COMPANY. */
            cardUserType?: string;
            /** @description 무이자: the instalments carry no interest. */
            noInterest?: boolean;
            /** @description Instalment months (0: paid at once). */
            spreadOut?: number;
            /** @description The last four digits (Toss may mask some). */
            cardNum4Print?: string;
            /** @description The card company's authorization number. */
            cardAuthorizationNo?: string;
        };
        CreatePaymentReply: {
            orderNo: string;
            payToken?: string;
            /** @description Send the buyer here (a full-page redirect). Absent when Toss refused the create. */
            checkoutPage?: string;
            status: components["schemas"]["OrderStatus"];
            /** Format: date-time */
            expiresAt: string;
            failure?: components["schemas"]["Failure"];
        };
        CreatePaymentRequest: {
            /** @description Your order number, and the idempotency key of the create: the same request again answers the same payment. Not return, cancel, callback, by-pay-token (paths of this API). Generated (YYMMDD-XXXX-XXXX) when absent. */
            orderNo?: string;
            /** @description The amount in won. */
            amount: number;
            /** @description The tax-free part (0 for fully taxable goods), at most `amount`. Given alone, the rest is split by Toss's default (VAT = ceil(rest / 11), taxable = rest − VAT, service fee 0) and all four are sent; with no part given, Toss splits the amount itself. */
            amountTaxFree: number;
            /** @description 복합과세: if any of the four tax parts is not 0, all four are required and must add up to `amount`. */
            amountTaxable?: number;
            /** @description 복합과세: see amountTaxable. */
            amountVat?: number;
            /** @description 복합과세: see amountTaxable. */
            amountServiceFee?: number;
            /** @description What is bought, shown on Toss's checkout: not blank, no backslash or quotes. */
            productDesc: string;
            /**
             * @description false: the payment stops at PAY_APPROVED, and the return landing (or the reconciler, if the buyer never returns) executes it, exactly once.
             * @default true
             */
            autoExecute?: boolean;
            /**
             * @description Toss cancels an unpaid payment after this many minutes.
             * @default 15
             */
            expiresInMinutes?: number;
            /** @description Passed to Toss: whether Toss issues a cash receipt. */
            cashReceipt?: boolean;
            /**
             * @description Passed to Toss: the cash receipt's trade kind.
             * @enum {string}
             */
            cashReceiptTradeOption?: "CULTURE" | "GENERAL" | "PUBLIC_TP";
            /** @description The methods the checkout offers (default: every method). */
            enablePayMethods?: ("TOSS_MONEY" | "CARD")[];
            /** @description Yours: Toss returns it in its status replies. */
            metadata?: string;
        };
        CreateWebhookEndpointReply: {
            /** @description we_…; the endpoint MERCHANT_WEBHOOK_URL configures is we_env. */
            id: string;
            url: string;
            description?: string;
            /** @description The event types it gets; absent: every type. */
            eventTypes?: components["schemas"]["EventType"][];
            enabled: boolean;
            /**
             * @description failing: every attempt failed for WEBHOOK_DISABLE_AFTER_DAYS (it keeps what it misses); merchant: PATCH enabled:false.
             * @enum {string}
             */
            disabledReason?: "failing" | "merchant";
            /** Format: date-time */
            disabledAt?: string;
            /**
             * @description configuration: MERCHANT_WEBHOOK_URL; read only here (409 WEBHOOK_ENDPOINT_MANAGED_BY_CONFIGURATION).
             * @enum {string}
             */
            managedBy: "api" | "configuration";
            /** Format: date-time */
            createdAt?: string;
            /** Format: date-time */
            updatedAt?: string;
            /**
             * Format: date-time
             * @description After a rotation: until when the previous secret still signs, beside the new one.
             */
            previousSecretExpiresAt?: string;
            /** @description whsec_…: the signing secret (Standard Webhooks). Shown here only: keep it. */
            secret: string;
        };
        CreateWebhookEndpointRequest: {
            /** @description Where events are POSTed: https:// (http:// only on this machine, in the local stack). */
            url: string;
            /** @description Yours: what the endpoint is for. */
            description?: string;
            /** @description The event types it gets; leave it out for every type (those added later too). */
            eventTypes?: ("payment.completed" | "payment.cancelled" | "payment.failed" | "payment.refunded" | "refund.failed" | "payment.settled" | "order.flagged" | "endpoint.disabled")[];
            /** @description Default true. A disabled endpoint gets no events until it is enabled. */
            enabled?: boolean;
        };
        DeleteWebhookEndpointReply: {
            id: string;
            /** @constant */
            deleted: true;
        };
        Delivery: {
            endpointId: string;
            /** @enum {string} */
            status: "pending" | "delivered" | "failed" | "waiting" | "cancelled";
            /** @description Its latest attempts (at most 10), oldest first. */
            attempts: components["schemas"]["DeliveryAttempt"][];
            /** @description Every attempt made, the ones no longer listed included. */
            attemptCount: number;
            /**
             * Format: date-time
             * @description The next attempt, while one is due.
             */
            nextAt?: string;
            /** @description Where the current round of retries began in `attempts` (a redelivery starts a new round). */
            roundFrom: number;
            /** @description Each redelivery asked for through the API, oldest first, with who asked. */
            rounds?: {
                /** @description Where its round begins in `attempts` (0 when that attempt is no longer listed). */
                from: number;
                /** Format: date-time */
                at: string;
                actor?: components["schemas"]["Actor"];
            }[];
        };
        DeliveryAttempt: {
            /** Format: date-time */
            at: string;
            /** @description The receiver's HTTP status; absent when no reply came. */
            status?: number;
            latencyMs: number;
            /** @description Why it failed, when no reply came: `timeout`, `deadline` (cut to keep the stream moving; retried), `address_not_allowed` (a non-public address), a socket error code. */
            error?: string;
        };
        EmptyRequest: Record<string, never>;
        EndpointDisabledData: {
            endpointId: string;
            url: string;
            description?: string;
            /**
             * @description Every attempt to it failed for WEBHOOK_DISABLE_AFTER_DAYS (5 by default).
             * @constant
             */
            reason: "failing";
            /**
             * Format: date-time
             * @description Its first failed attempt since the last that succeeded.
             */
            failingSince: string;
            /** Format: date-time */
            disabledAt: string;
        };
        EndpointEvent: {
            /** @description evt_…: the same change always gives the same id. Key your processing on it (deliveries can repeat). */
            id: string;
            /** @enum {string} */
            type: "endpoint.disabled";
            /**
             * Format: date-time
             * @description When the endpoint was disabled.
             */
            timestamp: string;
            data: components["schemas"]["EndpointDisabledData"];
        };
        ErrorReply: {
            error: {
                /**
                 * @description Stable: act on it. docs/reference/errors.md lists every code and what to do about it.
                 * @enum {string}
                 */
                code: "VALIDATION_FAILED" | "BAD_REQUEST" | "INVALID_CURSOR" | "SOURCE_NOT_ALLOWED" | "FORBIDDEN_ROLE" | "BODY_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "MALFORMED_JSON" | "ORDER_NOT_FOUND" | "EVENT_NOT_FOUND" | "ORDER_NO_CONFLICT" | "MODE_MISMATCH" | "CREATE_IN_PROGRESS" | "CALLBACK_MALFORMED" | "CALLBACK_UNKNOWN_PAYMENT" | "CALLBACK_NOT_CONFIRMED" | "CALLBACK_CONTRADICTED" | "IDEMPOTENCY_KEY_REUSED" | "REFUND_IN_PROGRESS" | "REFUND_EXCEEDS_BALANCE" | "REFUND_LIMIT_REACHED" | "ORDER_NOT_PAID" | "ORDER_PAID" | "ORDER_NOT_CANCELABLE" | "WEBHOOK_NOT_CONFIGURED" | "WEBHOOK_ENDPOINT_NOT_FOUND" | "WEBHOOK_ENDPOINT_MANAGED_BY_CONFIGURATION" | "WEBHOOK_ENDPOINT_DISABLED" | "WEBHOOK_ENDPOINT_LIMIT_REACHED" | "WEBHOOK_URL_NOT_ALLOWED" | "TOSS_REFUSED" | "TOSS_FAILED" | "TOSS_BUSY" | "TOSS_TIMEOUT" | "TEMPORARILY_UNAVAILABLE" | "INTERNAL_ERROR";
                /** @description For people; below 500 it says what was wrong, a 5xx says what to do. */
                message: string;
                /** @description VALIDATION_FAILED, CALLBACK_MALFORMED: every problem found. */
                issues?: components["schemas"]["Issue"][];
                /** @description TOSS_REFUSED: Toss's errorCode. */
                errorCode?: string;
                /** @description TOSS_REFUSED: Toss's msg. */
                msg?: string;
            };
        };
        /** @description The order as GET /payments/{orderNo} shows it, without what grows with it (history, older transactions and refunds: GET `href`). Free text is cut at the order's own limits (Toss's messages at 300 characters, ending in …), so a whole event is at most 64 KiB. */
        EventData: {
            orderNo: string;
            /** @description Counts the writes to the order: of two views (or events) of one order, the higher is the newer. */
            version: number;
            status: components["schemas"]["OrderStatus"];
            /**
             * @description What happened to the money, in one word.
             * @enum {string}
             */
            paymentState: "unpaid" | "paid" | "partially_refunded" | "refunded" | "cancelled" | "failed";
            /** @description Money is kept: paid and not fully refunded, under the current Toss key's mode. Fulfil on this (or payment.completed). */
            paid: boolean;
            mode: components["schemas"]["Mode"];
            /**
             * @description The order is of the other mode than the current Toss key: nothing about it can be confirmed.
             * @constant
             */
            modeMismatch?: true;
            amount: number;
            /** @description The tax parts as sent to Toss: all four when the payment has explicit parts (amountTaxFree alone is completed by Toss's default rule), else amountTaxFree only and Toss split the rest. */
            amountTaxFree: number;
            amountTaxable?: number;
            amountVat?: number;
            amountServiceFee?: number;
            /** @description What the buyer paid (0 when nothing was paid). */
            paidAmount: number;
            /** @description What Toss confirmed refunded. */
            refundedAmount: number;
            /** @description What may still be refunded (refunds in flight are taken out). */
            refundableAmount: number;
            /** @description What Toss discounted. */
            discountedAmount?: number;
            /** @description What the buyer's account paid after Toss's discount. */
            tossPaidAmount?: number;
            productDesc: string;
            autoExecute: boolean;
            payToken?: string;
            payMethod?: string;
            metadata?: string;
            /** Format: date-time */
            expiresAt: string;
            /**
             * Format: date-time
             * @description When this service first recorded the order paid (its clock): the time GET /payments lists, and the re-checks after payment count from.
             */
            paidAt?: string;
            /**
             * Format: date-time
             * @description Toss's own time of payment (its clock), as ISO 8601 (left out when Toss's time could not be read).
             */
            paidTs?: string;
            cancelReason?: components["schemas"]["CancelReason"];
            /** @description The merchant's reason, as given to POST /payments/{orderNo}/cancel and sent to Toss. */
            cancelNote?: string;
            cancelledBy?: components["schemas"]["Actor"];
            /** @description Toss paid the money out to the merchant (its status said SETTLEMENT_COMPLETE or SETTLEMENT_REFUND_COMPLETE, now or before). A settled order can still be refunded: Toss takes the amount from the next settlement. */
            settled: boolean;
            /**
             * Format: date-time
             * @description When this service first recorded the order settled. Toss's status carries no settlement time: the payout happened at or before this.
             */
            settledSeenAt?: string;
            tossMoney?: components["schemas"]["TossMoney"];
            /**
             * Format: uri
             * @description The card slip (매출전표) at Toss: Toss's salesCheckLinkUrl. Card payments only.
             */
            receiptUrl?: string;
            /** @description Toss's transactions of the payment: its PAY transaction and the latest 10 others, oldest first (GET `href` lists them all). */
            transactions: components["schemas"]["TossTransaction"][];
            /** Format: date-time */
            createdAt: string;
            /** Format: date-time */
            updatedAt: string;
            failure?: components["schemas"]["Failure"];
            /** @description The order needs a person (unresolved for long, or contradicted by Toss). */
            attention?: components["schemas"]["Attention"];
            /** @description How many transactions Toss lists for the payment (GET /payments/{orderNo} has them all). */
            transactionCount: number;
            /** @description How many refunds the order has (GET /payments/{orderNo} lists them all). */
            refundCount: number;
            /** @description The order's latest 10 refunds, oldest first (who asked: its `actor.id` only; `refund` and GET `href` have the whole actor). */
            recentRefunds: components["schemas"]["Refund"][];
            /** @description The path of the whole order on this API: GET it (GET /payments/{orderNo}, merchant token) for the history, Toss's transactions and every refund. */
            href: string;
            /** @description payment.refunded and refund.failed: the refund this event is about. */
            refund?: components["schemas"]["Refund"];
        };
        /** @enum {string} */
        EventType: "payment.completed" | "payment.cancelled" | "payment.failed" | "payment.refunded" | "refund.failed" | "payment.settled" | "order.flagged" | "endpoint.disabled";
        EventView: {
            /** @description evt_…: the same change always gives the same id. Key your processing on it (deliveries can repeat). */
            id: string;
            type: components["schemas"]["OrderEventType"];
            /**
             * Format: date-time
             * @description When the change was committed (the order's updatedAt).
             */
            timestamp: string;
            data: components["schemas"]["EventData"];
            /** @description The event's position in the log (GET /events?after=). */
            cursor: string;
            /** Format: date-time */
            loggedAt: string;
            /** @description Its deliveries summed up: with one endpoint, that delivery (as before endpoints); with several, the status of the furthest behind (pending, waiting, failed, delivered; none: no endpoint was to get it), every listed attempt with its endpointId, and the next attempt due. */
            delivery: {
                /** @enum {string} */
                status: "none" | "pending" | "delivered" | "failed" | "waiting" | "cancelled";
                attempts: {
                    /** Format: date-time */
                    at: string;
                    /** @description The receiver's HTTP status; absent when no reply came. */
                    status?: number;
                    latencyMs: number;
                    /** @description Why it failed, when no reply came: `timeout`, `deadline` (cut to keep the stream moving; retried), `address_not_allowed` (a non-public address), a socket error code. */
                    error?: string;
                    endpointId?: string;
                }[];
                /** Format: date-time */
                nextAt?: string;
                roundFrom?: number;
                /** @description Each redelivery asked for through the API, oldest first, with who asked. */
                rounds?: {
                    /** @description Where its round begins in `attempts` (0 when that attempt is no longer listed). */
                    from: number;
                    /** Format: date-time */
                    at: string;
                    actor?: components["schemas"]["Actor"];
                }[];
            };
            /** @description Its delivery to each endpoint it was given to. */
            deliveries: components["schemas"]["Delivery"][];
        } | {
            /** @description evt_…: the same change always gives the same id. Key your processing on it (deliveries can repeat). */
            id: string;
            /** @enum {string} */
            type: "endpoint.disabled";
            /**
             * Format: date-time
             * @description When the endpoint was disabled.
             */
            timestamp: string;
            data: components["schemas"]["EndpointDisabledData"];
            /** @description The event's position in the log (GET /events?after=). */
            cursor: string;
            /** Format: date-time */
            loggedAt: string;
            /** @description Its deliveries summed up: with one endpoint, that delivery (as before endpoints); with several, the status of the furthest behind (pending, waiting, failed, delivered; none: no endpoint was to get it), every listed attempt with its endpointId, and the next attempt due. */
            delivery: {
                /** @enum {string} */
                status: "none" | "pending" | "delivered" | "failed" | "waiting" | "cancelled";
                attempts: {
                    /** Format: date-time */
                    at: string;
                    /** @description The receiver's HTTP status; absent when no reply came. */
                    status?: number;
                    latencyMs: number;
                    /** @description Why it failed, when no reply came: `timeout`, `deadline` (cut to keep the stream moving; retried), `address_not_allowed` (a non-public address), a socket error code. */
                    error?: string;
                    endpointId?: string;
                }[];
                /** Format: date-time */
                nextAt?: string;
                roundFrom?: number;
                /** @description Each redelivery asked for through the API, oldest first, with who asked. */
                rounds?: {
                    /** @description Where its round begins in `attempts` (0 when that attempt is no longer listed). */
                    from: number;
                    /** Format: date-time */
                    at: string;
                    actor?: components["schemas"]["Actor"];
                }[];
            };
            /** @description Its delivery to each endpoint it was given to. */
            deliveries: components["schemas"]["Delivery"][];
        };
        Failure: {
            errorCode: string;
            msg: string;
        };
        GatewayError: {
            message: string;
        };
        HistoryEntry: {
            from: components["schemas"]["OrderStatus"] | null;
            to: components["schemas"]["OrderStatus"];
            /** @enum {string} */
            source: "create" | "return" | "cancel" | "callback" | "reconciler" | "merchant" | "refresh";
            /** Format: date-time */
            at: string;
            note?: string;
            actor?: components["schemas"]["Actor"];
        };
        Issue: {
            /** @description The field, dot-separated ('' for the body as a whole; `Idempotency-Key` for that header). */
            path: string;
            message: string;
            /** @description The rule it broke (zod's issue code, e.g. too_small, invalid_format, unrecognized_keys, custom). */
            code?: string;
        };
        ListEventsReply: {
            events: components["schemas"]["EventView"][];
            /** @description Present while more events remain: pass it as `after`. */
            next?: string;
        };
        ListPaymentsReply: {
            orders: components["schemas"]["OrderSummary"][];
            /** @description Present while more orders remain: pass it as `cursor`. */
            next?: string;
        };
        ListTransactionsReply: {
            /**
             * Format: date-time
             * @description The start of the listing (inclusive).
             */
            from: string;
            /**
             * Format: date-time
             * @description The end of the listing (inclusive): `to`, or the time of the first page.
             */
            to: string;
            /** @description Oldest first. */
            transactions: components["schemas"]["Transaction"][];
            /** @description Present while more may remain: pass it as `cursor`, with the same `from` and `to`. */
            next?: string;
        };
        ListWebhookEndpointsReply: {
            /** @description The configured endpoint first (when MERCHANT_WEBHOOK_URL is set), then at most 20 the API manages, oldest first. */
            endpoints: components["schemas"]["WebhookEndpoint"][];
        };
        /**
         * @description The mode of the Toss key the order was created with.
         * @enum {string}
         */
        Mode: "TEST" | "LIVE";
        OrderEvent: {
            /** @description evt_…: the same change always gives the same id. Key your processing on it (deliveries can repeat). */
            id: string;
            type: components["schemas"]["OrderEventType"];
            /**
             * Format: date-time
             * @description When the change was committed (the order's updatedAt).
             */
            timestamp: string;
            data: components["schemas"]["EventData"];
        };
        /** @enum {string} */
        OrderEventType: "payment.completed" | "payment.cancelled" | "payment.failed" | "payment.refunded" | "refund.failed" | "payment.settled" | "order.flagged";
        /**
         * @description The order's state: Toss's payStatus, plus CREATING, CREATE_FAILED, EXECUTING and EXECUTE_FAILED around our own calls.
         * @enum {string}
         */
        OrderStatus: "CREATING" | "CREATE_FAILED" | "PAY_STANDBY" | "PAY_APPROVED" | "EXECUTING" | "EXECUTE_FAILED" | "PAY_PROGRESS" | "PAY_COMPLETE" | "PAY_CANCEL" | "REFUND_PROGRESS" | "REFUND_SUCCESS" | "SETTLEMENT_COMPLETE" | "SETTLEMENT_REFUND_COMPLETE";
        OrderSummary: {
            orderNo: string;
            version: number;
            status: components["schemas"]["OrderStatus"];
            /** @enum {string} */
            paymentState: "unpaid" | "paid" | "partially_refunded" | "refunded" | "cancelled" | "failed";
            paid: boolean;
            mode: components["schemas"]["Mode"];
            amount: number;
            /** @description What Toss confirmed refunded. */
            refundedAmount: number;
            productDesc: string;
            /** Format: date-time */
            createdAt: string;
            /**
             * Format: date-time
             * @description When this service first recorded the order paid (its clock), as GET /payments/{orderNo} shows it. Toss's own time (paidTs) is in the order.
             */
            paidAt?: string;
            cancelReason?: components["schemas"]["CancelReason"];
            attention?: components["schemas"]["Attention"];
            tossMoney?: components["schemas"]["TossMoney"];
            /**
             * Format: uri
             * @description The card slip (매출전표) at Toss: Toss's salesCheckLinkUrl. Card payments only.
             */
            receiptUrl?: string;
            transactions: components["schemas"]["TossTransaction"][];
        };
        OrderView: {
            orderNo: string;
            /** @description Counts the writes to the order: of two views (or events) of one order, the higher is the newer. */
            version: number;
            status: components["schemas"]["OrderStatus"];
            /**
             * @description What happened to the money, in one word.
             * @enum {string}
             */
            paymentState: "unpaid" | "paid" | "partially_refunded" | "refunded" | "cancelled" | "failed";
            /** @description Money is kept: paid and not fully refunded, under the current Toss key's mode. Fulfil on this (or payment.completed). */
            paid: boolean;
            mode: components["schemas"]["Mode"];
            /**
             * @description The order is of the other mode than the current Toss key: nothing about it can be confirmed.
             * @constant
             */
            modeMismatch?: true;
            amount: number;
            /** @description The tax parts as sent to Toss: all four when the payment has explicit parts (amountTaxFree alone is completed by Toss's default rule), else amountTaxFree only and Toss split the rest. */
            amountTaxFree: number;
            amountTaxable?: number;
            amountVat?: number;
            amountServiceFee?: number;
            /** @description What the buyer paid (0 when nothing was paid). */
            paidAmount: number;
            /** @description What Toss confirmed refunded. */
            refundedAmount: number;
            /** @description What may still be refunded (refunds in flight are taken out). */
            refundableAmount: number;
            refunds: components["schemas"]["Refund"][];
            /** @description What Toss discounted. */
            discountedAmount?: number;
            /** @description What the buyer's account paid after Toss's discount. */
            tossPaidAmount?: number;
            productDesc: string;
            autoExecute: boolean;
            payToken?: string;
            checkoutPage?: string;
            payMethod?: string;
            metadata?: string;
            /** Format: date-time */
            expiresAt: string;
            /**
             * Format: date-time
             * @description When this service first recorded the order paid (its clock): the time GET /payments lists, and the re-checks after payment count from.
             */
            paidAt?: string;
            /**
             * Format: date-time
             * @description Toss's own time of payment (its clock), as ISO 8601 (left out when Toss's time could not be read).
             */
            paidTs?: string;
            cancelReason?: components["schemas"]["CancelReason"];
            /** @description The merchant's reason, as given to POST /payments/{orderNo}/cancel and sent to Toss. */
            cancelNote?: string;
            cancelledBy?: components["schemas"]["Actor"];
            /** @description Toss paid the money out to the merchant (its status said SETTLEMENT_COMPLETE or SETTLEMENT_REFUND_COMPLETE, now or before). A settled order can still be refunded: Toss takes the amount from the next settlement. */
            settled: boolean;
            /**
             * Format: date-time
             * @description When this service first recorded the order settled. Toss's status carries no settlement time: the payout happened at or before this.
             */
            settledSeenAt?: string;
            /** Format: date-time */
            createdAt: string;
            /** Format: date-time */
            updatedAt: string;
            tossMoney?: components["schemas"]["TossMoney"];
            /**
             * Format: uri
             * @description The card slip (매출전표) at Toss: Toss's salesCheckLinkUrl. Card payments only.
             */
            receiptUrl?: string;
            /** @description Every Toss transaction of the payment (PAY and REFUND, Toss's transactionId), oldest first. */
            transactions: components["schemas"]["TossTransaction"][];
            failure?: components["schemas"]["Failure"];
            /** @description The order needs a person (unresolved for long, or contradicted by Toss). */
            attention?: components["schemas"]["Attention"];
            /** @description Its state changes, oldest first: the last 100 (and the first that recorded it settled); `historyDropped` counts the ones left out. */
            history: components["schemas"]["HistoryEntry"][];
            /** @description Older history entries no longer kept on the order (it keeps its last 100, so that it always fits its record). */
            historyDropped?: number;
        };
        RedeliverEventRequest: {
            /** @description Only this endpoint (we_…). */
            endpointId?: string;
        };
        RedeliverFailedReply: {
            queued: number;
        };
        RedeliverRequest: {
            /** Format: date-time */
            failedSince: string;
            /** @description Only this endpoint (we_…). */
            endpointId?: string;
        };
        Refund: {
            /** @description rf_… for refunds made through the API (from the orderNo and the Idempotency-Key); tx_… for refunds made at Toss. */
            refundNo: string;
            amount: number;
            /** @enum {string} */
            status: "PENDING" | "SUCCEEDED" | "FAILED";
            /**
             * @description api: asked for through POST /payments/{orderNo}/refunds; toss: made at Toss (e.g. its console).
             * @enum {string}
             */
            source: "api" | "toss";
            /** @description The tax-free part of the refund, as sent to Toss (0 for a refund made at Toss: Toss does not say its parts). */
            amountTaxFree: number;
            /** @description The taxable part, as sent to Toss (refunds of a payment with tax parts). */
            amountTaxable?: number;
            /** @description The VAT part, as sent to Toss. */
            amountVat?: number;
            /** @description The service-fee part, as sent to Toss. */
            amountServiceFee?: number;
            reason?: string;
            actor?: components["schemas"]["Actor"];
            /** Format: date-time */
            requestedAt: string;
            /** Format: date-time */
            approvedAt?: string;
            failure?: components["schemas"]["Failure"];
        };
        RefundReply: {
            orderNo: string;
            refundNo: string;
            /**
             * @description PENDING: Toss did not answer yet; it is settled by the same request again or by the reconciler.
             * @enum {string}
             */
            status: "PENDING" | "SUCCEEDED" | "FAILED";
            amount: number;
            refundedAmount: number;
            refundableAmount: number;
        };
        RefundRequest: {
            /** @description The amount in won. Absent: everything still refundable. */
            amount?: number;
            /** @description The tax-free part, at most `amount`. Absent: 0, or what the payment's parts imply. */
            amountTaxFree?: number;
            /** @description With explicit parts (a payment created with them is refunded by parts): `amount` is required and the four parts add up to it; parts left out are completed when the answer is implied. */
            amountTaxable?: number;
            /** @description See amountTaxable. */
            amountVat?: number;
            /** @description See amountTaxable. */
            amountServiceFee?: number;
            /** @description Why (sent to Toss, shown on the refund). */
            reason?: string;
        };
        RotateSecretReply: {
            /** @description we_…; the endpoint MERCHANT_WEBHOOK_URL configures is we_env. */
            id: string;
            url: string;
            description?: string;
            /** @description The event types it gets; absent: every type. */
            eventTypes?: components["schemas"]["EventType"][];
            enabled: boolean;
            /**
             * @description failing: every attempt failed for WEBHOOK_DISABLE_AFTER_DAYS (it keeps what it misses); merchant: PATCH enabled:false.
             * @enum {string}
             */
            disabledReason?: "failing" | "merchant";
            /** Format: date-time */
            disabledAt?: string;
            /**
             * @description configuration: MERCHANT_WEBHOOK_URL; read only here (409 WEBHOOK_ENDPOINT_MANAGED_BY_CONFIGURATION).
             * @enum {string}
             */
            managedBy: "api" | "configuration";
            /** Format: date-time */
            createdAt?: string;
            /** Format: date-time */
            updatedAt?: string;
            /**
             * Format: date-time
             * @description After a rotation: until when the previous secret still signs, beside the new one.
             */
            previousSecretExpiresAt?: string;
            /** @description whsec_…: the signing secret (Standard Webhooks). Shown here only: keep it. */
            secret: string;
        };
        StatsReply: {
            /** @description The first day counted (Korea time, YYYY-MM-DD). */
            from: string;
            /** @description The last day counted (Korea time). */
            to: string;
            /** @description Every order of every day was counted. False when the read budget (10,000 orders) ended first: see countedFrom. */
            complete: boolean;
            /** @description When not complete: the oldest day counted in full (older days are partly or not counted). */
            countedFrom?: string;
            /** @description Per Korea-time day of creation, oldest first. */
            days: {
                day: string;
                /** @description Orders created. */
                orders: number;
                /** @description Of those, paid (money moved: paid, refunded or settled). */
                paid: number;
                /** @description What those paid, in won. */
                paidAmount: number;
                /** @description Refunds Toss confirmed, of the paid ones. */
                refunds: number;
                /** @description What those refunds gave back, in won. */
                refundedAmount: number;
                /** @description Cancelled by the merchant before anyone paid. */
                cancelled: number;
                /** @description Never paid: the buyer quit, or the checkout expired. */
                abandoned: number;
                /** @description Refused by Toss (create or execute). */
                failed: number;
                /** @description Not finished yet. */
                open: number;
            }[];
            totals: {
                /** @description Orders created. */
                orders: number;
                /** @description Of those, paid (money moved: paid, refunded or settled). */
                paid: number;
                /** @description What those paid, in won. */
                paidAmount: number;
                /** @description Refunds Toss confirmed, of the paid ones. */
                refunds: number;
                /** @description What those refunds gave back, in won. */
                refundedAmount: number;
                /** @description Cancelled by the merchant before anyone paid. */
                cancelled: number;
                /** @description Never paid: the buyer quit, or the checkout expired. */
                abandoned: number;
                /** @description Refused by Toss (create or execute). */
                failed: number;
                /** @description Not finished yet. */
                open: number;
            };
            attention: {
                /** @description Orders flagged for a person now (GET /payments?attention=true lists them). */
                orders: number;
                /**
                 * @description There are more than 1,000.
                 * @constant
                 */
                more?: true;
            };
            /** @description How the latest webhook deliveries went. */
            webhooks: {
                /** @description Events with a webhook among the latest 200 of the log. */
                sampled: number;
                /** @description Of those, delivered. */
                delivered: number;
                /** @description Of those, given up after the last retry (GET /events/failed). */
                failed: number;
                /** @description Of those, still being tried. */
                pending: number;
                /** @description delivered / (delivered + failed); absent when neither. */
                successRate?: number;
            };
        };
        TestEvent: {
            /** @description evt_…: the same change always gives the same id. Key your processing on it (deliveries can repeat). */
            id: string;
            /** @constant */
            type: "webhook.test";
            /** Format: date-time */
            timestamp: string;
            data: {
                endpointId: string;
                message: string;
            };
        };
        TestWebhookEndpointReply: {
            /** @description The webhook.test event sent (not logged). */
            eventId: string;
            /** @description The receiver answered 2xx. */
            ok: boolean;
            /** @description The receiver's HTTP status; absent when no reply came. */
            status?: number;
            /** @description Why no reply came. */
            error?: string;
            latencyMs: number;
        };
        TossCallback: {
            status: string;
            payToken: string;
            orderNo: string;
            amount: number | string;
        } & {
            [key: string]: unknown;
        };
        /** @description Toss's money facts of the payment, as its status reports them (no card or account number). Absent on orders recorded before they were kept. */
        TossMoney: {
            /** @description The taxable part as Toss applied it. */
            amountTaxable?: number;
            /** @description The tax-free part as Toss applied it. */
            amountTaxFree?: number;
            /** @description The VAT as Toss applied it. */
            amountVat?: number;
            /** @description The service fee as Toss applied it. */
            amountServiceFee?: number;
            /** @description Discounted: Toss's instant discount and the points used. */
            discountedAmount?: number;
            /** @description Toss's instant discount. */
            discountAmountV2?: number;
            /** @description Toss points used. */
            paidPointV2?: number;
            /** @description What the buyer's payment method was charged (amount − discountedAmount): the base of a cash receipt you issue yourself. */
            paidAmount?: number;
            /** @description 일회용 컵 보증금. */
            disposableCupDeposit?: number;
            card?: components["schemas"]["CardFacts"];
            /** @description Toss Money: Toss's code of the buyer's bank. */
            accountBankCode?: string;
            /** @description Toss Money: the buyer's bank. */
            accountBankName?: string;
        };
        TossTransaction: {
            stepType?: string;
            transactionId?: string;
            transactionAmount?: number;
            discountedAmount?: number;
            paidAmount?: number;
            /** Format: date-time */
            regTs?: string;
        };
        Transaction: {
            /**
             * Format: date-time
             * @description Toss's time of the transaction (ISO 8601).
             */
            time: string;
            /** @description Toss's transactionId: reconcile with Toss by it. */
            transactionId: string;
            /** @enum {string} */
            stepType: "PAY" | "REFUND";
            orderNo: string;
            mode: components["schemas"]["Mode"];
            /** @description CARD or TOSS_MONEY. */
            payMethod?: string;
            /** @description Toss's transactionAmount: negative for a refund. */
            amount: number;
            /** @description The discount's part (Toss's instant discount and points), negative for a refund. */
            discountedAmount?: number;
            /** @description The buyer's payment method's part, negative for a refund. */
            paidAmount?: number;
            /** @description The taxable part: given when all four parts are known. */
            amountTaxable?: number;
            /** @description The tax-free part: given when all four parts are known. */
            amountTaxFree?: number;
            /** @description The VAT: given when all four parts are known. */
            amountVat?: number;
            /** @description The service fee: given when all four parts are known. */
            amountServiceFee?: number;
            /** @description A refund: rf_… when made through POST /payments/{orderNo}/refunds, tx_… when made at Toss. */
            refundNo?: string;
        };
        UpdateWebhookEndpointRequest: {
            /** @description Where events are POSTed: https:// (http:// only on this machine, in the local stack). */
            url?: string;
            /** @description null removes it. */
            description?: string | null;
            /** @description null: every type. */
            eventTypes?: ("payment.completed" | "payment.cancelled" | "payment.failed" | "payment.refunded" | "refund.failed" | "payment.settled" | "order.flagged" | "endpoint.disabled")[] | null;
            /** @description true enables it again: what it missed while disabled (and what failed) is sent again (queued oldest first, arriving in any order); false stops its deliveries. */
            enabled?: boolean;
        };
        WebhookEndpoint: {
            /** @description we_…; the endpoint MERCHANT_WEBHOOK_URL configures is we_env. */
            id: string;
            url: string;
            description?: string;
            /** @description The event types it gets; absent: every type. */
            eventTypes?: components["schemas"]["EventType"][];
            enabled: boolean;
            /**
             * @description failing: every attempt failed for WEBHOOK_DISABLE_AFTER_DAYS (it keeps what it misses); merchant: PATCH enabled:false.
             * @enum {string}
             */
            disabledReason?: "failing" | "merchant";
            /** Format: date-time */
            disabledAt?: string;
            /**
             * @description configuration: MERCHANT_WEBHOOK_URL; read only here (409 WEBHOOK_ENDPOINT_MANAGED_BY_CONFIGURATION).
             * @enum {string}
             */
            managedBy: "api" | "configuration";
            /** Format: date-time */
            createdAt?: string;
            /** Format: date-time */
            updatedAt?: string;
            /**
             * Format: date-time
             * @description After a rotation: until when the previous secret still signs, beside the new one.
             */
            previousSecretExpiresAt?: string;
        };
        WebhookEndpointDetail: {
            /** @description we_…; the endpoint MERCHANT_WEBHOOK_URL configures is we_env. */
            id: string;
            url: string;
            description?: string;
            /** @description The event types it gets; absent: every type. */
            eventTypes?: components["schemas"]["EventType"][];
            enabled: boolean;
            /**
             * @description failing: every attempt failed for WEBHOOK_DISABLE_AFTER_DAYS (it keeps what it misses); merchant: PATCH enabled:false.
             * @enum {string}
             */
            disabledReason?: "failing" | "merchant";
            /** Format: date-time */
            disabledAt?: string;
            /**
             * @description configuration: MERCHANT_WEBHOOK_URL; read only here (409 WEBHOOK_ENDPOINT_MANAGED_BY_CONFIGURATION).
             * @enum {string}
             */
            managedBy: "api" | "configuration";
            /** Format: date-time */
            createdAt?: string;
            /** Format: date-time */
            updatedAt?: string;
            /**
             * Format: date-time
             * @description After a rotation: until when the previous secret still signs, beside the new one.
             */
            previousSecretExpiresAt?: string;
            health: components["schemas"]["WebhookEndpointHealth"];
        };
        WebhookEndpointHealth: {
            lastAttempt?: {
                /** Format: date-time */
                at: string;
                eventId: string;
                ok: boolean;
                status?: number;
                error?: string;
                latencyMs: number;
            };
            /** Format: date-time */
            lastSuccessAt?: string;
            /**
             * Format: date-time
             * @description Its first failed attempt since the last that succeeded: every attempt has failed since.
             */
            failingSince?: string;
            consecutiveFailures: number;
            lastDay: {
                attempts: number;
                succeeded: number;
                failed: number;
                /** @description succeeded / attempts over the last 24 hours (by the hour); absent without attempts. */
                successRate?: number;
            };
            /** @description The oldest event whose delivery to it failed and has not succeeded since (pending a retry, failed, or waiting for it to be enabled). */
            oldestUndelivered?: {
                eventId: string;
                /** Format: date-time */
                loggedAt: string;
            };
        };
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    listPayments: {
        parameters: {
            query?: {
                /** @description Only orders in this state. */
                status?: "CREATING" | "CREATE_FAILED" | "PAY_STANDBY" | "PAY_APPROVED" | "EXECUTING" | "EXECUTE_FAILED" | "PAY_PROGRESS" | "PAY_COMPLETE" | "PAY_CANCEL" | "REFUND_PROGRESS" | "REFUND_SUCCESS" | "SETTLEMENT_COMPLETE" | "SETTLEMENT_REFUND_COMPLETE";
                /** @description Only orders whose money is in this state (`paid`, `partially_refunded`, `refunded`, `cancelled`, `failed`, `unpaid`): a filter over the orders read, so a page may hold fewer than `limit` and still have a `next`. */
                paymentState?: "unpaid" | "paid" | "partially_refunded" | "refunded" | "cancelled" | "failed";
                /** @description Only orders flagged for a person. */
                attention?: "true" | "false";
                /** @description The oldest creation time listed (at most 366 days before `to`). */
                from?: string;
                /** @description The newest creation time listed (default: now). */
                to?: string;
                /** @description Orders per page, 1 to 100, in digits. */
                limit?: number;
                /** @description `next` of the previous page, with the same other parameters (`limit` may change). Any other is refused: 400 INVALID_CURSOR. */
                cursor?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of orders. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ListPaymentsReply"];
                };
            };
            /** @description `VALIDATION_FAILED`, `INVALID_CURSOR`. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorReply"];
                };
            };
            /** @description No Authorization header (API Gateway: `{"message":"Unauthorized"}`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GatewayError"];
                };
            };
            /** @description `FORBIDDEN_ROLE`. The token is not accepted (API Gateway: `{"message":"Forbidden"}`). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorReply"] | components["schemas"]["GatewayError"];
                };
            };
            /** @description Throttled by API Gateway (`{"message":"Too Many Requests"}`). */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GatewayError"];
                };
            };
            /** @description `INTERNAL_ERROR`. The function failed (API Gateway: `{"message":"Internal Server Error"}`). */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorReply"] | components["schemas"]["GatewayError"];
                };
            };
            /** @description `TEMPORARILY_UNAVAILABLE`. The function did not answer in time (API Gateway: `{"message":"Service Unavailable"}`). */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "Retry-After"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorReply"] | components["schemas"]["GatewayError"];
                };
            };
        };
    };
    createPayment: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreatePaymentRequest"];
            };
        };
        responses: {
            /** @description The same request again: the payment it created. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CreatePaymentReply"];
                };
            };
            /** @description Created at Toss. */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CreatePaymentReply"];
                };
            };
            /** @description `VALIDATION_FAILED`, `BAD_REQUEST`. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorReply"];
                };
            };
            /** @description No Authorization header (API Gateway: `{"message":"Unauthorized"}`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GatewayError"];
                };
            };
            /** @description `FORBIDDEN_ROLE`. The token is not accepted (API Gateway: `{"message":"Forbidden"}`). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorReply"] | components["schemas"]["GatewayError"];
                };
            };
            /** @description `ORDER_NO_CONFLICT`, `MODE_MISMATCH`, `CREATE_IN_PROGRESS`. */
            409: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "Retry-After"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorReply"];
                };
            };
            /** @description `BODY_TOO_LARGE`. Over API Gateway's payload limit (`{"message":"Request Entity Too Large"}`). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorReply"] | components["schemas"]["GatewayError"];
                };
            };
            /** @description `UNSUPPORTED_MEDIA_TYPE`. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorReply"];
                };
            };
            /** @description `MALFORMED_JSON`, `TOSS_REFUSED`. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorReply"];
                };
            };
            /** @description Throttled by API Gateway (`{"message":"Too Many Requests"}`). */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GatewayError"];
                };
            };
            /** @description `INTERNAL_ERROR`. The function failed (API Gateway: `{"message":"Internal Server Error"}`). */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorReply"] | components["schemas"]["GatewayError"];
                };
            };
            /** @description `TOSS_FAILED`. */
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorReply"];
                };
            };
            /** @description `TOSS_BUSY`, `TEMPORARILY_UNAVAILABLE`. The function did not answer in time (API Gateway: `{"message":"Service Unavailable"}`). */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "Retry-After"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorReply"] | components["schemas"]["GatewayError"];
                };
            };
            /** @description `TOSS_TIMEOUT`. */
            504: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorReply"];
                };
            };
        };
    };
    returnLanding: {
        parameters: {
            query?: {
                /** @description The landing token of the URL given to Toss: the order (base64url), a dot, and its 128-bit HMAC under a key of this service. */
                t?: string;
                /** @description Without `t`: the order (the first orderNo counts). Toss appends its own `orderNo` to retUrl, with `status` and `payMethod`; payments created before landing tokens came back with ours. */
                orderNo?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The result page (paid, refunded, cancelled, failed, or pending: it reloads itself). */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/html": string;
                };
            };
            /** @description With MERCHANT_RESULT_URL: to that URL, with the order and its result (signed with the webhook secret when there is one). */
            303: {
                headers: {
                    Location: string;
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description No such order: the not-found page. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/html": string;
                };
            };
            /** @description An order of the other Toss mode than the current key: it cannot be confirmed. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/html": string;
                };
            };
            /** @description Throttled by API Gateway (`{"message":"Too Many Requests"}`). */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GatewayError"];
                };
            };
            /** @description The "still confirming" page (it reloads itself). The function failed (API Gateway: `{"message":"Internal Server Error"}`). */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GatewayError"];
                    "text/html": string;
                };
            };
            /** @description The "still confirming" page (it reloads itself). */
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/html": string;
                };
            };
            /** @description The "still confirming" page (it reloads itself). The function did not answer in time (API Gateway: `{"message":"Service Unavailable"}`). */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GatewayError"];
                    "text/html": string;
                };
            };
            /** @description The "still confirming" page (it reloads itself). */
            504: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/html": string;
                };
            };
        };
    };
    cancelLanding: {
        parameters: {
            query?: {
                /** @description The landing token of the URL given to Toss: the order (base64url), a dot, and its 128-bit HMAC under a key of this service. */
                t?: string;
                /** @description Without `t`: the order (the first orderNo counts). Toss appends its own `orderNo` to retUrl, with `status` and `payMethod`; payments created before landing tokens came back with ours. */
                orderNo?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The result page (paid, refunded, cancelled, failed, or pending: it reloads itself). */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/html": string;
                };
            };
            /** @description With MERCHANT_RESULT_URL: to that URL, with the order and its result (signed with the webhook secret when there is one). */
            303: {
                headers: {
                    Location: string;
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description No such order: the not-found page. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/html": string;
                };
            };
            /** @description An order of the other Toss mode than the current key: it cannot be confirmed. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/html": string;
                };
            };
            /** @description Throttled by API Gateway (`{"message":"Too Many Requests"}`). */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GatewayError"];
                };
            };
            /** @description The "still confirming" page (it reloads itself). The function failed (API Gateway: `{"message":"Internal Server Error"}`). */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GatewayError"];
                    "text/html": string;
                };
            };
            /** @description The "still confirming" page (it reloads itself). */
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/html": string;
                };
            };
            /** @description The "still confirming" page (it reloads itself). The function did not answer in time (API Gateway: `{"message":"Service Unavailable"}`). */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GatewayError"];
                    "text/html": string;
                };
            };
            /** @description The "still confirming" page (it reloads itself). */
            504: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/html": string;
                };
            };
        };
    };
    tossCallback: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["TossCallback"];
                "application/x-www-form-urlencoded": components["schemas"]["TossCallback"];
            };
        };
        responses: {
            /** @description The order is paid. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CallbackReply"];
                };
            };
            /** @description `VALIDATION_FAILED`, `CALLBACK_MALFORMED`. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorReply"];
                };
            };
            /** @description `SOURCE_NOT_ALLOWED`. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorReply"];
                };
            };
            /** @description `CALLBACK_NOT_CONFIRMED`, `CALLBACK_CONTRADICTED`. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorReply"];
                };
            };
            /** @description `BODY_TOO_LARGE`. Over API Gateway's payload limit (`{"message":"Request Entity Too Large"}`). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorReply"] | components["schemas"]["GatewayError"];
                };
            };
            /** @description `CALLBACK_UNKNOWN_PAYMENT`. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorReply"];
                };
            };
            /** @description Throttled by API Gateway (`{"message":"Too Many Requests"}`). */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GatewayError"];
                };
            };
            /** @description `INTERNAL_ERROR`. The function failed (API Gateway: `{"message":"Internal Server Error"}`). */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorReply"] | components["schemas"]["GatewayError"];
                };
            };
            /** @description `TOSS_FAILED`. */
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorReply"];
                };
            };
            /** @description `TOSS_BUSY`, `TEMPORARILY_UNAVAILABLE`. The function did not answer in time (API Gateway: `{"message":"Service Unavailable"}`). */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "Retry-After"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorReply"] | components["schemas"]["GatewayError"];
                };
            };
            /** @description `TOSS_TIMEOUT`. */
            504: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorReply"];
                };
            };
        };
    };
    getPayment: {
        parameters: {
            query?: {
                /** @description `true`: ask Toss first. */
                refresh?: "true" | "false";
            };
            header?: never;
            path: {
                /** @description The orderNo given at create (or generated then). */
                orderNo: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The order. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OrderView"];
                };
            };
            /** @description No Authorization header (API Gateway: `{"message":"Unauthorized"}`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GatewayError"];
                };
            };
            /** @description `FORBIDDEN_ROLE`. The token is not accepted (API Gateway: `{"message":"Forbidden"}`). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorReply"] | components["schemas"]["GatewayError"];
                };
            };
            /** @description `ORDER_NOT_FOUND`. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorReply"];
                };
            };
            /** @description Throttled by API Gateway (`{"message":"Too Many Requests"}`). */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GatewayError"];
                };
            };
            /** @description `INTERNAL_ERROR`. The function failed (API Gateway: `{"message":"Internal Server Error"}`). */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorReply"] | components["schemas"]["GatewayError"];
                };
            };
            /** @description `TOSS_FAILED`. */
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorReply"];
                };
            };
            /** @description `TOSS_BUSY`, `TEMPORARILY_UNAVAILABLE`. The function did not answer in time (API Gateway: `{"message":"Service Unavailable"}`). */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "Retry-After"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorReply"] | components["schemas"]["GatewayError"];
                };
            };
            /** @description `TOSS_TIMEOUT`. */
            504: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorReply"];
                };
            };
        };
    };
    getPaymentByPayToken: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Toss's payToken of the payment. */
                payToken: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The order. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OrderView"];
                };
            };
            /** @description No Authorization header (API Gateway: `{"message":"Unauthorized"}`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GatewayError"];
                };
            };
            /** @description `FORBIDDEN_ROLE`. The token is not accepted (API Gateway: `{"message":"Forbidden"}`). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorReply"] | components["schemas"]["GatewayError"];
                };
            };
            /** @description `ORDER_NOT_FOUND`. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorReply"];
                };
            };
            /** @description Throttled by API Gateway (`{"message":"Too Many Requests"}`). */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GatewayError"];
                };
            };
            /** @description `INTERNAL_ERROR`. The function failed (API Gateway: `{"message":"Internal Server Error"}`). */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorReply"] | components["schemas"]["GatewayError"];
                };
            };
            /** @description `TOSS_FAILED`. */
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorReply"];
                };
            };
            /** @description `TOSS_BUSY`, `TEMPORARILY_UNAVAILABLE`. The function did not answer in time (API Gateway: `{"message":"Service Unavailable"}`). */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "Retry-After"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorReply"] | components["schemas"]["GatewayError"];
                };
            };
            /** @description `TOSS_TIMEOUT`. */
            504: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorReply"];
                };
            };
        };
    };
    refundPayment: {
        parameters: {
            query?: never;
            header: {
                /** @description Yours: the same key is the same refund. */
                "Idempotency-Key": string;
            };
            path: {
                /** @description The orderNo given at create (or generated then). */
                orderNo: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["RefundRequest"];
            };
        };
        responses: {
            /** @description The same key and body again: the refund as it is now. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RefundReply"];
                };
            };
            /** @description Recorded now. */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RefundReply"];
                };
            };
            /** @description `VALIDATION_FAILED`, `BAD_REQUEST`. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorReply"];
                };
            };
            /** @description No Authorization header (API Gateway: `{"message":"Unauthorized"}`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GatewayError"];
                };
            };
            /** @description `FORBIDDEN_ROLE`. The token is not accepted (API Gateway: `{"message":"Forbidden"}`). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorReply"] | components["schemas"]["GatewayError"];
                };
            };
            /** @description `ORDER_NOT_FOUND`. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorReply"];
                };
            };
            /** @description `MODE_MISMATCH`, `IDEMPOTENCY_KEY_REUSED`, `REFUND_IN_PROGRESS`, `ORDER_NOT_PAID`. */
            409: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "Retry-After"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorReply"];
                };
            };
            /** @description `BODY_TOO_LARGE`. Over API Gateway's payload limit (`{"message":"Request Entity Too Large"}`). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorReply"] | components["schemas"]["GatewayError"];
                };
            };
            /** @description `UNSUPPORTED_MEDIA_TYPE`. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorReply"];
                };
            };
            /** @description `MALFORMED_JSON`, `REFUND_EXCEEDS_BALANCE`, `REFUND_LIMIT_REACHED`, `TOSS_REFUSED`. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorReply"];
                };
            };
            /** @description Throttled by API Gateway (`{"message":"Too Many Requests"}`). */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GatewayError"];
                };
            };
            /** @description `INTERNAL_ERROR`. The function failed (API Gateway: `{"message":"Internal Server Error"}`). */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorReply"] | components["schemas"]["GatewayError"];
                };
            };
            /** @description `TOSS_FAILED`. */
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorReply"];
                };
            };
            /** @description `TOSS_BUSY`, `TEMPORARILY_UNAVAILABLE`. The function did not answer in time (API Gateway: `{"message":"Service Unavailable"}`). */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "Retry-After"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorReply"] | components["schemas"]["GatewayError"];
                };
            };
            /** @description `TOSS_TIMEOUT`. */
            504: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorReply"];
                };
            };
        };
    };
    cancelPayment: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The orderNo given at create (or generated then). */
                orderNo: string;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": components["schemas"]["CancelRequest"];
            };
        };
        responses: {
            /** @description The order, cancelled. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OrderView"];
                };
            };
            /** @description `VALIDATION_FAILED`. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorReply"];
                };
            };
            /** @description No Authorization header (API Gateway: `{"message":"Unauthorized"}`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GatewayError"];
                };
            };
            /** @description `FORBIDDEN_ROLE`. The token is not accepted (API Gateway: `{"message":"Forbidden"}`). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorReply"] | components["schemas"]["GatewayError"];
                };
            };
            /** @description `ORDER_NOT_FOUND`. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorReply"];
                };
            };
            /** @description `MODE_MISMATCH`, `ORDER_PAID`, `ORDER_NOT_CANCELABLE`. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorReply"];
                };
            };
            /** @description `BODY_TOO_LARGE`. Over API Gateway's payload limit (`{"message":"Request Entity Too Large"}`). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorReply"] | components["schemas"]["GatewayError"];
                };
            };
            /** @description Throttled by API Gateway (`{"message":"Too Many Requests"}`). */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GatewayError"];
                };
            };
            /** @description `INTERNAL_ERROR`. The function failed (API Gateway: `{"message":"Internal Server Error"}`). */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorReply"] | components["schemas"]["GatewayError"];
                };
            };
            /** @description `TOSS_FAILED`. */
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorReply"];
                };
            };
            /** @description `TOSS_BUSY`, `TEMPORARILY_UNAVAILABLE`. The function did not answer in time (API Gateway: `{"message":"Service Unavailable"}`). */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "Retry-After"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorReply"] | components["schemas"]["GatewayError"];
                };
            };
            /** @description `TOSS_TIMEOUT`. */
            504: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorReply"];
                };
            };
        };
    };
    listOrderEvents: {
        parameters: {
            query?: {
                /** @description `next` of the previous page: opaque. */
                after?: string;
                /** @description Events per page, 1 to 100, in digits. */
                limit?: number;
            };
            header?: never;
            path: {
                /** @description The orderNo given at create (or generated then). */
                orderNo: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of the order's events. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ListEventsReply"];
                };
            };
            /** @description `VALIDATION_FAILED`, `INVALID_CURSOR`. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorReply"];
                };
            };
            /** @description No Authorization header (API Gateway: `{"message":"Unauthorized"}`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GatewayError"];
                };
            };
            /** @description `FORBIDDEN_ROLE`. The token is not accepted (API Gateway: `{"message":"Forbidden"}`). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorReply"] | components["schemas"]["GatewayError"];
                };
            };
            /** @description `ORDER_NOT_FOUND`. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorReply"];
                };
            };
            /** @description Throttled by API Gateway (`{"message":"Too Many Requests"}`). */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GatewayError"];
                };
            };
            /** @description `INTERNAL_ERROR`. The function failed (API Gateway: `{"message":"Internal Server Error"}`). */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorReply"] | components["schemas"]["GatewayError"];
                };
            };
            /** @description `TEMPORARILY_UNAVAILABLE`. The function did not answer in time (API Gateway: `{"message":"Service Unavailable"}`). */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "Retry-After"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorReply"] | components["schemas"]["GatewayError"];
                };
            };
        };
    };
    getStats: {
        parameters: {
            query?: {
                /** @description The first day (YYYY-MM-DD, Korea time). */
                from?: string;
                /** @description The last day (default: today in Korea). */
                to?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The figures. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["StatsReply"];
                };
            };
            /** @description `VALIDATION_FAILED`. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorReply"];
                };
            };
            /** @description No Authorization header (API Gateway: `{"message":"Unauthorized"}`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GatewayError"];
                };
            };
            /** @description `FORBIDDEN_ROLE`. The token is not accepted (API Gateway: `{"message":"Forbidden"}`). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorReply"] | components["schemas"]["GatewayError"];
                };
            };
            /** @description Throttled by API Gateway (`{"message":"Too Many Requests"}`). */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GatewayError"];
                };
            };
            /** @description `INTERNAL_ERROR`. The function failed (API Gateway: `{"message":"Internal Server Error"}`). */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorReply"] | components["schemas"]["GatewayError"];
                };
            };
            /** @description `TEMPORARILY_UNAVAILABLE`. The function did not answer in time (API Gateway: `{"message":"Service Unavailable"}`). */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "Retry-After"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorReply"] | components["schemas"]["GatewayError"];
                };
            };
        };
    };
    listEvents: {
        parameters: {
            query?: {
                /** @description `next` of the previous page (or an event's `cursor`): opaque, whatever `type` and `limit` it is used with. */
                after?: string;
                /** @description Events per page, 1 to 100, in digits. */
                limit?: number;
                /** @description Only events of this type. */
                type?: "payment.completed" | "payment.cancelled" | "payment.failed" | "payment.refunded" | "refund.failed" | "payment.settled" | "order.flagged" | "endpoint.disabled";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of events. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ListEventsReply"];
                };
            };
            /** @description `VALIDATION_FAILED`, `INVALID_CURSOR`. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorReply"];
                };
            };
            /** @description No Authorization header (API Gateway: `{"message":"Unauthorized"}`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GatewayError"];
                };
            };
            /** @description `FORBIDDEN_ROLE`. The token is not accepted (API Gateway: `{"message":"Forbidden"}`). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorReply"] | components["schemas"]["GatewayError"];
                };
            };
            /** @description Throttled by API Gateway (`{"message":"Too Many Requests"}`). */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GatewayError"];
                };
            };
            /** @description `INTERNAL_ERROR`. The function failed (API Gateway: `{"message":"Internal Server Error"}`). */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorReply"] | components["schemas"]["GatewayError"];
                };
            };
            /** @description `TEMPORARILY_UNAVAILABLE`. The function did not answer in time (API Gateway: `{"message":"Service Unavailable"}`). */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "Retry-After"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorReply"] | components["schemas"]["GatewayError"];
                };
            };
        };
    };
    listFailedEvents: {
        parameters: {
            query?: {
                /** @description `next` of the previous page: opaque. */
                after?: string;
                /** @description Events per page, 1 to 100, in digits. */
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of events. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ListEventsReply"];
                };
            };
            /** @description `VALIDATION_FAILED`, `INVALID_CURSOR`. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorReply"];
                };
            };
            /** @description No Authorization header (API Gateway: `{"message":"Unauthorized"}`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GatewayError"];
                };
            };
            /** @description `FORBIDDEN_ROLE`. The token is not accepted (API Gateway: `{"message":"Forbidden"}`). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorReply"] | components["schemas"]["GatewayError"];
                };
            };
            /** @description Throttled by API Gateway (`{"message":"Too Many Requests"}`). */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GatewayError"];
                };
            };
            /** @description `INTERNAL_ERROR`. The function failed (API Gateway: `{"message":"Internal Server Error"}`). */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorReply"] | components["schemas"]["GatewayError"];
                };
            };
            /** @description `TEMPORARILY_UNAVAILABLE`. The function did not answer in time (API Gateway: `{"message":"Service Unavailable"}`). */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "Retry-After"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorReply"] | components["schemas"]["GatewayError"];
                };
            };
        };
    };
    getEvent: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The event id (evt_…). */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The event. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EventView"];
                };
            };
            /** @description `VALIDATION_FAILED`. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorReply"];
                };
            };
            /** @description No Authorization header (API Gateway: `{"message":"Unauthorized"}`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GatewayError"];
                };
            };
            /** @description `FORBIDDEN_ROLE`. The token is not accepted (API Gateway: `{"message":"Forbidden"}`). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorReply"] | components["schemas"]["GatewayError"];
                };
            };
            /** @description `EVENT_NOT_FOUND`. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorReply"];
                };
            };
            /** @description Throttled by API Gateway (`{"message":"Too Many Requests"}`). */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GatewayError"];
                };
            };
            /** @description `INTERNAL_ERROR`. The function failed (API Gateway: `{"message":"Internal Server Error"}`). */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorReply"] | components["schemas"]["GatewayError"];
                };
            };
            /** @description `TEMPORARILY_UNAVAILABLE`. The function did not answer in time (API Gateway: `{"message":"Service Unavailable"}`). */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "Retry-After"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorReply"] | components["schemas"]["GatewayError"];
                };
            };
        };
    };
    redeliverEvent: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The event id (evt_…). */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": components["schemas"]["RedeliverEventRequest"];
            };
        };
        responses: {
            /** @description The event, with the new attempts. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EventView"];
                };
            };
            /** @description `VALIDATION_FAILED`. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorReply"];
                };
            };
            /** @description No Authorization header (API Gateway: `{"message":"Unauthorized"}`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GatewayError"];
                };
            };
            /** @description `FORBIDDEN_ROLE`. The token is not accepted (API Gateway: `{"message":"Forbidden"}`). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorReply"] | components["schemas"]["GatewayError"];
                };
            };
            /** @description `EVENT_NOT_FOUND`, `WEBHOOK_ENDPOINT_NOT_FOUND`. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorReply"];
                };
            };
            /** @description `WEBHOOK_NOT_CONFIGURED`, `WEBHOOK_ENDPOINT_DISABLED`. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorReply"];
                };
            };
            /** @description `BODY_TOO_LARGE`. Over API Gateway's payload limit (`{"message":"Request Entity Too Large"}`). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorReply"] | components["schemas"]["GatewayError"];
                };
            };
            /** @description `MALFORMED_JSON`. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorReply"];
                };
            };
            /** @description Throttled by API Gateway (`{"message":"Too Many Requests"}`). */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GatewayError"];
                };
            };
            /** @description `INTERNAL_ERROR`. The function failed (API Gateway: `{"message":"Internal Server Error"}`). */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorReply"] | components["schemas"]["GatewayError"];
                };
            };
            /** @description `TEMPORARILY_UNAVAILABLE`. The function did not answer in time (API Gateway: `{"message":"Service Unavailable"}`). */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "Retry-After"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorReply"] | components["schemas"]["GatewayError"];
                };
            };
        };
    };
    redeliverFailed: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["RedeliverRequest"];
            };
        };
        responses: {
            /** @description Queued; the webhook retrier sends them. */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RedeliverFailedReply"];
                };
            };
            /** @description `VALIDATION_FAILED`, `BAD_REQUEST`. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorReply"];
                };
            };
            /** @description No Authorization header (API Gateway: `{"message":"Unauthorized"}`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GatewayError"];
                };
            };
            /** @description `FORBIDDEN_ROLE`. The token is not accepted (API Gateway: `{"message":"Forbidden"}`). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorReply"] | components["schemas"]["GatewayError"];
                };
            };
            /** @description `WEBHOOK_ENDPOINT_NOT_FOUND`. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorReply"];
                };
            };
            /** @description `WEBHOOK_NOT_CONFIGURED`. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorReply"];
                };
            };
            /** @description `BODY_TOO_LARGE`. Over API Gateway's payload limit (`{"message":"Request Entity Too Large"}`). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorReply"] | components["schemas"]["GatewayError"];
                };
            };
            /** @description `MALFORMED_JSON`. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorReply"];
                };
            };
            /** @description Throttled by API Gateway (`{"message":"Too Many Requests"}`). */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GatewayError"];
                };
            };
            /** @description `INTERNAL_ERROR`. The function failed (API Gateway: `{"message":"Internal Server Error"}`). */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorReply"] | components["schemas"]["GatewayError"];
                };
            };
            /** @description `TEMPORARILY_UNAVAILABLE`. The function did not answer in time (API Gateway: `{"message":"Service Unavailable"}`). */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "Retry-After"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorReply"] | components["schemas"]["GatewayError"];
                };
            };
        };
    };
    listTransactions: {
        parameters: {
            query?: {
                /** @description The oldest transaction time listed (inclusive; at most 366 days before `to`). */
                from?: string;
                /** @description The newest transaction time listed (inclusive; default: now). */
                to?: string;
                /** @description Transactions per page: 1 to 1000, digits only (default 100). */
                limit?: number;
                /** @description `next` of the previous page (or the `Link` of a CSV page). */
                cursor?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of transactions: JSON, or the CSV (`Accept: text/csv`). */
            200: {
                headers: {
                    /** @description CSV: the next page, `<?…&cursor=…>; rel="next"` (relative to this request), while more may remain. */
                    Link?: string;
                    /** @description CSV: `attachment; filename="transactions-<from>-<to>.csv"` (Korea-time days). */
                    "Content-Disposition"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ListTransactionsReply"];
                    /**
                     * @example timeKst,time,transactionId,stepType,orderNo,amount,discountedAmount,paidAmount,amountTaxable,amountTaxFree,amountVat,amountServiceFee,payMethod,mode,refundNo
                     *     2026-02-09 15:44:25,2026-02-09T06:44:25.000Z,81a6bafc-b7b6-4959-82ba-e74034f379ea,PAY,ORDER-1,10000,1000,9000,8182,0,818,0,CARD,LIVE,
                     */
                    "text/csv": string;
                };
            };
            /** @description `VALIDATION_FAILED`, `INVALID_CURSOR`. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorReply"];
                };
            };
            /** @description No Authorization header (API Gateway: `{"message":"Unauthorized"}`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GatewayError"];
                };
            };
            /** @description `FORBIDDEN_ROLE`. The token is not accepted (API Gateway: `{"message":"Forbidden"}`). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorReply"] | components["schemas"]["GatewayError"];
                };
            };
            /** @description Throttled by API Gateway (`{"message":"Too Many Requests"}`). */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GatewayError"];
                };
            };
            /** @description `INTERNAL_ERROR`. The function failed (API Gateway: `{"message":"Internal Server Error"}`). */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorReply"] | components["schemas"]["GatewayError"];
                };
            };
            /** @description `TEMPORARILY_UNAVAILABLE`. The function did not answer in time (API Gateway: `{"message":"Service Unavailable"}`). */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "Retry-After"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorReply"] | components["schemas"]["GatewayError"];
                };
            };
        };
    };
    listWebhookEndpoints: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Every endpoint. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ListWebhookEndpointsReply"];
                };
            };
            /** @description No Authorization header (API Gateway: `{"message":"Unauthorized"}`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GatewayError"];
                };
            };
            /** @description `FORBIDDEN_ROLE`. The token is not accepted (API Gateway: `{"message":"Forbidden"}`). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorReply"] | components["schemas"]["GatewayError"];
                };
            };
            /** @description Throttled by API Gateway (`{"message":"Too Many Requests"}`). */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GatewayError"];
                };
            };
            /** @description `INTERNAL_ERROR`. The function failed (API Gateway: `{"message":"Internal Server Error"}`). */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorReply"] | components["schemas"]["GatewayError"];
                };
            };
            /** @description `TEMPORARILY_UNAVAILABLE`. The function did not answer in time (API Gateway: `{"message":"Service Unavailable"}`). */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "Retry-After"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorReply"] | components["schemas"]["GatewayError"];
                };
            };
        };
    };
    createWebhookEndpoint: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateWebhookEndpointRequest"];
            };
        };
        responses: {
            /** @description Created, with its secret. */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CreateWebhookEndpointReply"];
                };
            };
            /** @description `VALIDATION_FAILED`, `BAD_REQUEST`, `WEBHOOK_URL_NOT_ALLOWED`. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorReply"];
                };
            };
            /** @description No Authorization header (API Gateway: `{"message":"Unauthorized"}`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GatewayError"];
                };
            };
            /** @description `FORBIDDEN_ROLE`. The token is not accepted (API Gateway: `{"message":"Forbidden"}`). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorReply"] | components["schemas"]["GatewayError"];
                };
            };
            /** @description `BODY_TOO_LARGE`. Over API Gateway's payload limit (`{"message":"Request Entity Too Large"}`). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorReply"] | components["schemas"]["GatewayError"];
                };
            };
            /** @description `UNSUPPORTED_MEDIA_TYPE`. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorReply"];
                };
            };
            /** @description `MALFORMED_JSON`, `WEBHOOK_ENDPOINT_LIMIT_REACHED`. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorReply"];
                };
            };
            /** @description Throttled by API Gateway (`{"message":"Too Many Requests"}`). */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GatewayError"];
                };
            };
            /** @description `INTERNAL_ERROR`. The function failed (API Gateway: `{"message":"Internal Server Error"}`). */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorReply"] | components["schemas"]["GatewayError"];
                };
            };
            /** @description `TEMPORARILY_UNAVAILABLE`. The function did not answer in time (API Gateway: `{"message":"Service Unavailable"}`). */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "Retry-After"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorReply"] | components["schemas"]["GatewayError"];
                };
            };
        };
    };
    getWebhookEndpoint: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The endpoint id (we_…; we_env: MERCHANT_WEBHOOK_URL). */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The endpoint. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WebhookEndpointDetail"];
                };
            };
            /** @description `VALIDATION_FAILED`. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorReply"];
                };
            };
            /** @description No Authorization header (API Gateway: `{"message":"Unauthorized"}`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GatewayError"];
                };
            };
            /** @description `FORBIDDEN_ROLE`. The token is not accepted (API Gateway: `{"message":"Forbidden"}`). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorReply"] | components["schemas"]["GatewayError"];
                };
            };
            /** @description `WEBHOOK_ENDPOINT_NOT_FOUND`. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorReply"];
                };
            };
            /** @description Throttled by API Gateway (`{"message":"Too Many Requests"}`). */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GatewayError"];
                };
            };
            /** @description `INTERNAL_ERROR`. The function failed (API Gateway: `{"message":"Internal Server Error"}`). */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorReply"] | components["schemas"]["GatewayError"];
                };
            };
            /** @description `TEMPORARILY_UNAVAILABLE`. The function did not answer in time (API Gateway: `{"message":"Service Unavailable"}`). */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "Retry-After"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorReply"] | components["schemas"]["GatewayError"];
                };
            };
        };
    };
    deleteWebhookEndpoint: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The endpoint id (we_…; we_env: MERCHANT_WEBHOOK_URL). */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DeleteWebhookEndpointReply"];
                };
            };
            /** @description `VALIDATION_FAILED`. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorReply"];
                };
            };
            /** @description No Authorization header (API Gateway: `{"message":"Unauthorized"}`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GatewayError"];
                };
            };
            /** @description `FORBIDDEN_ROLE`. The token is not accepted (API Gateway: `{"message":"Forbidden"}`). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorReply"] | components["schemas"]["GatewayError"];
                };
            };
            /** @description `WEBHOOK_ENDPOINT_NOT_FOUND`. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorReply"];
                };
            };
            /** @description `WEBHOOK_ENDPOINT_MANAGED_BY_CONFIGURATION`. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorReply"];
                };
            };
            /** @description `BODY_TOO_LARGE`. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorReply"];
                };
            };
            /** @description `MALFORMED_JSON`. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorReply"];
                };
            };
            /** @description Throttled by API Gateway (`{"message":"Too Many Requests"}`). */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GatewayError"];
                };
            };
            /** @description `INTERNAL_ERROR`. The function failed (API Gateway: `{"message":"Internal Server Error"}`). */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorReply"] | components["schemas"]["GatewayError"];
                };
            };
            /** @description `TEMPORARILY_UNAVAILABLE`. The function did not answer in time (API Gateway: `{"message":"Service Unavailable"}`). */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "Retry-After"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorReply"] | components["schemas"]["GatewayError"];
                };
            };
        };
    };
    updateWebhookEndpoint: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The endpoint id (we_…; we_env: MERCHANT_WEBHOOK_URL). */
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UpdateWebhookEndpointRequest"];
            };
        };
        responses: {
            /** @description The endpoint, changed. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WebhookEndpoint"];
                };
            };
            /** @description `VALIDATION_FAILED`, `BAD_REQUEST`, `WEBHOOK_URL_NOT_ALLOWED`. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorReply"];
                };
            };
            /** @description No Authorization header (API Gateway: `{"message":"Unauthorized"}`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GatewayError"];
                };
            };
            /** @description `FORBIDDEN_ROLE`. The token is not accepted (API Gateway: `{"message":"Forbidden"}`). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorReply"] | components["schemas"]["GatewayError"];
                };
            };
            /** @description `WEBHOOK_ENDPOINT_NOT_FOUND`. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorReply"];
                };
            };
            /** @description `WEBHOOK_ENDPOINT_MANAGED_BY_CONFIGURATION`. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorReply"];
                };
            };
            /** @description `BODY_TOO_LARGE`. Over API Gateway's payload limit (`{"message":"Request Entity Too Large"}`). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorReply"] | components["schemas"]["GatewayError"];
                };
            };
            /** @description `UNSUPPORTED_MEDIA_TYPE`. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorReply"];
                };
            };
            /** @description `MALFORMED_JSON`. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorReply"];
                };
            };
            /** @description Throttled by API Gateway (`{"message":"Too Many Requests"}`). */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GatewayError"];
                };
            };
            /** @description `INTERNAL_ERROR`. The function failed (API Gateway: `{"message":"Internal Server Error"}`). */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorReply"] | components["schemas"]["GatewayError"];
                };
            };
            /** @description `TEMPORARILY_UNAVAILABLE`. The function did not answer in time (API Gateway: `{"message":"Service Unavailable"}`). */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "Retry-After"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorReply"] | components["schemas"]["GatewayError"];
                };
            };
        };
    };
    rotateWebhookEndpointSecret: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The endpoint id (we_…; we_env: MERCHANT_WEBHOOK_URL). */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": components["schemas"]["EmptyRequest"];
            };
        };
        responses: {
            /** @description The endpoint with its new secret. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RotateSecretReply"];
                };
            };
            /** @description `VALIDATION_FAILED`. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorReply"];
                };
            };
            /** @description No Authorization header (API Gateway: `{"message":"Unauthorized"}`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GatewayError"];
                };
            };
            /** @description `FORBIDDEN_ROLE`. The token is not accepted (API Gateway: `{"message":"Forbidden"}`). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorReply"] | components["schemas"]["GatewayError"];
                };
            };
            /** @description `WEBHOOK_ENDPOINT_NOT_FOUND`. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorReply"];
                };
            };
            /** @description `WEBHOOK_ENDPOINT_MANAGED_BY_CONFIGURATION`. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorReply"];
                };
            };
            /** @description `BODY_TOO_LARGE`. Over API Gateway's payload limit (`{"message":"Request Entity Too Large"}`). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorReply"] | components["schemas"]["GatewayError"];
                };
            };
            /** @description `MALFORMED_JSON`. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorReply"];
                };
            };
            /** @description Throttled by API Gateway (`{"message":"Too Many Requests"}`). */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GatewayError"];
                };
            };
            /** @description `INTERNAL_ERROR`. The function failed (API Gateway: `{"message":"Internal Server Error"}`). */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorReply"] | components["schemas"]["GatewayError"];
                };
            };
            /** @description `TEMPORARILY_UNAVAILABLE`. The function did not answer in time (API Gateway: `{"message":"Service Unavailable"}`). */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "Retry-After"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorReply"] | components["schemas"]["GatewayError"];
                };
            };
        };
    };
    testWebhookEndpoint: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The endpoint id (we_…; we_env: MERCHANT_WEBHOOK_URL). */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": components["schemas"]["EmptyRequest"];
            };
        };
        responses: {
            /** @description The receiver's answer, or why none came. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TestWebhookEndpointReply"];
                };
            };
            /** @description `VALIDATION_FAILED`. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorReply"];
                };
            };
            /** @description No Authorization header (API Gateway: `{"message":"Unauthorized"}`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GatewayError"];
                };
            };
            /** @description `FORBIDDEN_ROLE`. The token is not accepted (API Gateway: `{"message":"Forbidden"}`). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorReply"] | components["schemas"]["GatewayError"];
                };
            };
            /** @description `WEBHOOK_ENDPOINT_NOT_FOUND`. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorReply"];
                };
            };
            /** @description `BODY_TOO_LARGE`. Over API Gateway's payload limit (`{"message":"Request Entity Too Large"}`). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorReply"] | components["schemas"]["GatewayError"];
                };
            };
            /** @description `MALFORMED_JSON`. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorReply"];
                };
            };
            /** @description Throttled by API Gateway (`{"message":"Too Many Requests"}`). */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GatewayError"];
                };
            };
            /** @description `INTERNAL_ERROR`. The function failed (API Gateway: `{"message":"Internal Server Error"}`). */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorReply"] | components["schemas"]["GatewayError"];
                };
            };
            /** @description `TEMPORARILY_UNAVAILABLE`. The function did not answer in time (API Gateway: `{"message":"Service Unavailable"}`). */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "Retry-After"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorReply"] | components["schemas"]["GatewayError"];
                };
            };
        };
    };
    openApiDocument: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The OpenAPI 3.1 document. */
            200: {
                headers: {
                    ETag?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": Record<string, never>;
                };
            };
            /** @description Not modified (`If-None-Match`). */
            304: {
                headers: {
                    ETag?: string;
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Throttled by API Gateway (`{"message":"Too Many Requests"}`). */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GatewayError"];
                };
            };
            /** @description The function failed (API Gateway: `{"message":"Internal Server Error"}`). */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GatewayError"];
                };
            };
            /** @description The function did not answer in time (API Gateway: `{"message":"Service Unavailable"}`). */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GatewayError"];
                };
            };
        };
    };
    console: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The page. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/html": string;
                };
            };
            /** @description Throttled by API Gateway (`{"message":"Too Many Requests"}`). */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GatewayError"];
                };
            };
            /** @description The function failed (API Gateway: `{"message":"Internal Server Error"}`). */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GatewayError"];
                };
            };
            /** @description The function did not answer in time (API Gateway: `{"message":"Service Unavailable"}`). */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GatewayError"];
                };
            };
        };
    };
    consoleAsset: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description A file name the page names. */
                asset: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The file. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/javascript": string;
                    "text/css": string;
                };
            };
            /** @description No such file. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/plain": string;
                };
            };
            /** @description Throttled by API Gateway (`{"message":"Too Many Requests"}`). */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GatewayError"];
                };
            };
            /** @description The function failed (API Gateway: `{"message":"Internal Server Error"}`). */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GatewayError"];
                };
            };
            /** @description The function did not answer in time (API Gateway: `{"message":"Service Unavailable"}`). */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GatewayError"];
                };
            };
        };
    };
    apiDocsPage: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The reference page. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/html": string;
                };
            };
            /** @description Throttled by API Gateway (`{"message":"Too Many Requests"}`). */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GatewayError"];
                };
            };
            /** @description The function failed (API Gateway: `{"message":"Internal Server Error"}`). */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GatewayError"];
                };
            };
            /** @description The function did not answer in time (API Gateway: `{"message":"Service Unavailable"}`). */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GatewayError"];
                };
            };
        };
    };
    apiDocsAsset: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description A file the page loads. */
                asset: "swagger-ui-bundle.js" | "swagger-ui.css" | "docs.css" | "docs.js";
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The file. */
            200: {
                headers: {
                    ETag?: string;
                    [name: string]: unknown;
                };
                content: {
                    "text/javascript": string;
                    "text/css": string;
                };
            };
            /** @description No such file (`{"message":"Not Found"}`). */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GatewayError"];
                };
            };
            /** @description Throttled by API Gateway (`{"message":"Too Many Requests"}`). */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GatewayError"];
                };
            };
            /** @description The function failed (API Gateway: `{"message":"Internal Server Error"}`). */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GatewayError"];
                };
            };
            /** @description The function did not answer in time (API Gateway: `{"message":"Service Unavailable"}`). */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GatewayError"];
                };
            };
        };
    };
    "webhook.payment.completed": {
        parameters: {
            query?: never;
            header: {
                /** @description The event id (the same for every delivery of the event, at every endpoint). */
                "webhook-id": string;
                /** @description Unix seconds the delivery was signed. */
                "webhook-timestamp": string;
                /** @description `v1,` and the base64 HMAC-SHA256 of `{webhook-id}.{webhook-timestamp}.{body}` keyed with the endpoint's secret; after a rotation, for WEBHOOK_SECRET_ROTATION_HOURS, two (the new secret's and the previous one's), space-separated. */
                "webhook-signature": string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @constant */
                    type?: "payment.completed";
                } & components["schemas"]["OrderEvent"];
            };
        };
        responses: {
            /** @description Received. */
            "2XX": {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    "webhook.payment.cancelled": {
        parameters: {
            query?: never;
            header: {
                /** @description The event id (the same for every delivery of the event, at every endpoint). */
                "webhook-id": string;
                /** @description Unix seconds the delivery was signed. */
                "webhook-timestamp": string;
                /** @description `v1,` and the base64 HMAC-SHA256 of `{webhook-id}.{webhook-timestamp}.{body}` keyed with the endpoint's secret; after a rotation, for WEBHOOK_SECRET_ROTATION_HOURS, two (the new secret's and the previous one's), space-separated. */
                "webhook-signature": string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @constant */
                    type?: "payment.cancelled";
                } & components["schemas"]["OrderEvent"];
            };
        };
        responses: {
            /** @description Received. */
            "2XX": {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    "webhook.payment.failed": {
        parameters: {
            query?: never;
            header: {
                /** @description The event id (the same for every delivery of the event, at every endpoint). */
                "webhook-id": string;
                /** @description Unix seconds the delivery was signed. */
                "webhook-timestamp": string;
                /** @description `v1,` and the base64 HMAC-SHA256 of `{webhook-id}.{webhook-timestamp}.{body}` keyed with the endpoint's secret; after a rotation, for WEBHOOK_SECRET_ROTATION_HOURS, two (the new secret's and the previous one's), space-separated. */
                "webhook-signature": string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @constant */
                    type?: "payment.failed";
                } & components["schemas"]["OrderEvent"];
            };
        };
        responses: {
            /** @description Received. */
            "2XX": {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    "webhook.payment.refunded": {
        parameters: {
            query?: never;
            header: {
                /** @description The event id (the same for every delivery of the event, at every endpoint). */
                "webhook-id": string;
                /** @description Unix seconds the delivery was signed. */
                "webhook-timestamp": string;
                /** @description `v1,` and the base64 HMAC-SHA256 of `{webhook-id}.{webhook-timestamp}.{body}` keyed with the endpoint's secret; after a rotation, for WEBHOOK_SECRET_ROTATION_HOURS, two (the new secret's and the previous one's), space-separated. */
                "webhook-signature": string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @constant */
                    type?: "payment.refunded";
                } & components["schemas"]["OrderEvent"];
            };
        };
        responses: {
            /** @description Received. */
            "2XX": {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    "webhook.refund.failed": {
        parameters: {
            query?: never;
            header: {
                /** @description The event id (the same for every delivery of the event, at every endpoint). */
                "webhook-id": string;
                /** @description Unix seconds the delivery was signed. */
                "webhook-timestamp": string;
                /** @description `v1,` and the base64 HMAC-SHA256 of `{webhook-id}.{webhook-timestamp}.{body}` keyed with the endpoint's secret; after a rotation, for WEBHOOK_SECRET_ROTATION_HOURS, two (the new secret's and the previous one's), space-separated. */
                "webhook-signature": string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @constant */
                    type?: "refund.failed";
                } & components["schemas"]["OrderEvent"];
            };
        };
        responses: {
            /** @description Received. */
            "2XX": {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    "webhook.payment.settled": {
        parameters: {
            query?: never;
            header: {
                /** @description The event id (the same for every delivery of the event, at every endpoint). */
                "webhook-id": string;
                /** @description Unix seconds the delivery was signed. */
                "webhook-timestamp": string;
                /** @description `v1,` and the base64 HMAC-SHA256 of `{webhook-id}.{webhook-timestamp}.{body}` keyed with the endpoint's secret; after a rotation, for WEBHOOK_SECRET_ROTATION_HOURS, two (the new secret's and the previous one's), space-separated. */
                "webhook-signature": string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @constant */
                    type?: "payment.settled";
                } & components["schemas"]["OrderEvent"];
            };
        };
        responses: {
            /** @description Received. */
            "2XX": {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    "webhook.order.flagged": {
        parameters: {
            query?: never;
            header: {
                /** @description The event id (the same for every delivery of the event, at every endpoint). */
                "webhook-id": string;
                /** @description Unix seconds the delivery was signed. */
                "webhook-timestamp": string;
                /** @description `v1,` and the base64 HMAC-SHA256 of `{webhook-id}.{webhook-timestamp}.{body}` keyed with the endpoint's secret; after a rotation, for WEBHOOK_SECRET_ROTATION_HOURS, two (the new secret's and the previous one's), space-separated. */
                "webhook-signature": string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @constant */
                    type?: "order.flagged";
                } & components["schemas"]["OrderEvent"];
            };
        };
        responses: {
            /** @description Received. */
            "2XX": {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    "webhook.endpoint.disabled": {
        parameters: {
            query?: never;
            header: {
                /** @description The event id (the same for every delivery of the event, at every endpoint). */
                "webhook-id": string;
                /** @description Unix seconds the delivery was signed. */
                "webhook-timestamp": string;
                /** @description `v1,` and the base64 HMAC-SHA256 of `{webhook-id}.{webhook-timestamp}.{body}` keyed with the endpoint's secret; after a rotation, for WEBHOOK_SECRET_ROTATION_HOURS, two (the new secret's and the previous one's), space-separated. */
                "webhook-signature": string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @constant */
                    type?: "endpoint.disabled";
                } & components["schemas"]["EndpointEvent"];
            };
        };
        responses: {
            /** @description Received. */
            "2XX": {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    "webhook.webhook.test": {
        parameters: {
            query?: never;
            header: {
                /** @description The event id (the same for every delivery of the event, at every endpoint). */
                "webhook-id": string;
                /** @description Unix seconds the delivery was signed. */
                "webhook-timestamp": string;
                /** @description `v1,` and the base64 HMAC-SHA256 of `{webhook-id}.{webhook-timestamp}.{body}` keyed with the endpoint's secret; after a rotation, for WEBHOOK_SECRET_ROTATION_HOURS, two (the new secret's and the previous one's), space-separated. */
                "webhook-signature": string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @constant */
                    type?: "webhook.test";
                } & components["schemas"]["TestEvent"];
            };
        };
        responses: {
            /** @description Received. */
            "2XX": {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
}
