/**
 * Judging HTTP answers: status codes, the protocol's error body, and JSON validated against the zod schemas
 * of src/protocol/schema.ts. Garbage (non-JSON, wrong shapes) becomes a Mismatch with a readable message.
 */
import type { z } from 'zod';
import { ErrorBody } from '../protocol/schema.ts';
import { describeAnswer, excerpt, type Answer } from './client.ts';
import { Mismatch } from './expectation.ts';

export function expectStatus(answer: Answer, expected: number): void {
  if (answer.status !== expected) throw new Mismatch(describeAnswer(answer), `${expected}`);
}

/** Any 4xx: the protocol fixes the class of some refusals but not the exact code. */
export function expectClientError(answer: Answer): void {
  if (answer.status < 400 || answer.status > 499) throw new Mismatch(describeAnswer(answer), 'a 4xx refusal');
}

/** The answer's body parsed as JSON and checked against `schema`; `what` names it in messages. */
export function parseAnswer<T>(answer: Answer, schema: z.ZodType<T>, what: string): T {
  let value: unknown;
  try {
    value = JSON.parse(answer.bytes.toString('utf8'));
  } catch {
    throw new Mismatch(`${answer.call} answered ${answer.status} with non-JSON ${excerpt(answer.bytes)}`, what);
  }
  return conformsTo(value, schema, `${answer.call} answered ${answer.status} with`, what);
}

/** `value` checked against `schema`, or a Mismatch listing the first few problems. */
export function conformsTo<T>(value: unknown, schema: z.ZodType<T>, seenPrefix: string, what: string): T {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues
    .slice(0, 3)
    .map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`)
    .join('; ');
  throw new Mismatch(`${seenPrefix} ${truncate(JSON.stringify(value))} (${problems})`, what);
}

/** A refusal with the given status and the protocol's `{"error":{"code","message"}}` body. */
export function expectError(answer: Answer, status: number): void {
  expectStatus(answer, status);
  parseAnswer(answer, ErrorBody, `a ${status} with body {"error":{"code","message"}}`);
}

function truncate(text: string | undefined, max = 160): string {
  if (text === undefined) return 'undefined';
  return text.length > max ? `${text.slice(0, max)}...` : text;
}
