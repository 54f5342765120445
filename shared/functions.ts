/**
 * Per-function runtime settings, read by infra/ (the deployed Lambda settings) and by the local
 * gateway (the Lambda context's getRemainingTimeInMillis()). One place, so local and AWS agree.
 *
 * HTTP handlers: 28 s, under API Gateway's 29 s integration limit and above the Toss client's
 * 15 s timeout (a landing may need status + execute: the client shortens its timeout to the time
 * the invocation has left). The reconciler runs longer: it works to a time budget taken from the
 * context and leaves the rest due for the next pass.
 */
export interface FunctionSettings {
  readonly timeoutSeconds: number;
  readonly memoryMb: number;
  readonly description: string;
}

export const functionSettings = {
  'create-payment': { timeoutSeconds: 28, memoryMb: 512, description: 'POST /payments: record the order, create it at Toss' },
  'return-landing': { timeoutSeconds: 28, memoryMb: 512, description: "GET /payments/return: the buyer's retUrl landing" },
  'cancel-landing': { timeoutSeconds: 28, memoryMb: 512, description: "GET /payments/cancel: the buyer's retCancelUrl landing" },
  callback: { timeoutSeconds: 28, memoryMb: 512, description: "POST /payments/callback: Toss's resultCallback receiver" },
  'get-payment': { timeoutSeconds: 28, memoryMb: 256, description: 'GET /payments/{orderNo}: the stored order and its history' },
  authorizer: { timeoutSeconds: 5, memoryMb: 256, description: 'Merchant bearer-token authorizer (HTTP API, simple responses)' },
  reconciler: { timeoutSeconds: 300, memoryMb: 1024, description: 'Scheduled pass that settles unfinished orders from Toss v2/status' },
} as const satisfies Record<string, FunctionSettings>;

export type FunctionName = keyof typeof functionSettings;
