/** Who sent a command and as part of what: copied into every event it writes. */
export interface CommandContext {
  /** `{role}:{keyId}`, `cli:{user}` or `system:demo`; never a key. */
  recordedBy: string;
  /** The request's id: every event written while serving it shares it. */
  correlationId: string;
  /** The command's own id. */
  causationId: string;
  /** The client's `Idempotency-Key` and a digest of its request, when it sent one. */
  idempotency?: { key: string; requestHash: string };
}
