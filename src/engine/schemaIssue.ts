// A schema's complaint as a clause of a one-line error: where, and what.
import type { z } from 'zod';

/** "data: Invalid input: expected object, received undefined"; `whole`, if given, names the value itself when the issue is at its root. */
export function firstIssue(error: z.ZodError, whole?: string): string {
  const issue = error.issues[0];
  if (!issue) return error.message;
  const where = issue.path.join('.') || whole;
  return where ? `${where}: ${issue.message}` : issue.message;
}
