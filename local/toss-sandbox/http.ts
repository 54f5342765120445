/** The sandbox's HTTP: request parameters (JSON or a form), Toss's JSON replies and HTML pages. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { readBody, sendJson as sendJsonReply } from '../http-io.ts';
import { coerceForm } from './validation.ts';

const MAX_BODY = 1024 * 1024;

/** A request the sandbox cannot read: 400 COMMON_INVALID_PARAMETER with this message. */
export class BadRequest extends Error {}

async function readRaw(req: IncomingMessage): Promise<string> {
  const body = await readBody(req, MAX_BODY);
  if (body === undefined) throw new BadRequest('요청 본문이 너무 큽니다.');
  return body.toString('utf8');
}

/** A Toss API or page request's parameters: JSON object or form-encoded. */
export async function readParams(req: IncomingMessage): Promise<Record<string, unknown>> {
  const raw = await readRaw(req);
  const type = (req.headers['content-type'] ?? '').toLowerCase();
  if (type.startsWith('application/x-www-form-urlencoded')) return coerceForm(new URLSearchParams(raw));
  return parseObject(raw);
}

/** A control API request body (JSON; empty means `{}`). */
export async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  return parseObject(await readRaw(req));
}

function parseObject(raw: string): Record<string, unknown> {
  if (raw.trim() === '') return {};
  let v: unknown;
  try {
    v = JSON.parse(raw);
  } catch {
    throw new BadRequest('요청 본문이 올바른 JSON이 아닙니다.');
  }
  if (typeof v !== 'object' || v === null) throw new BadRequest('요청 본문은 JSON 객체여야 합니다.');
  return v as Record<string, unknown>;
}

/** Toss's JSON reply (its content type). */
export const sendJson = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void =>
  sendJsonReply(res, status, body, { ...headers, 'content-type': 'application/json;charset=UTF-8' });

export function sendHtml(res: ServerResponse, status: number, html: string): void {
  res.writeHead(status, { 'Content-Type': 'text/html; charset=utf-8', 'Content-Length': Buffer.byteLength(html) });
  res.end(html);
}
