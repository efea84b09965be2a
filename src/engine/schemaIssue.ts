// A schema's complaint as a clause of a one-line error: where, and what.
import type { z } from 'zod';

/** "data: Invalid input: expected object, received undefined"; `whole` names the value itself when the issue is at its root. */
export function firstIssue(error: z.ZodError, whole: string): string {
  const issue = error.issues[0];
  return issue ? `${issue.path.join('.') || whole}: ${issue.message}` : error.message;
}
