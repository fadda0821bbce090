import { TRPCError } from '@trpc/server';

/**
 * Open live-update streams per token and per clinic in this process. Each stream holds a socket
 * and a bus listener, so one token (or one clinic's tokens) may not hold more than the caps.
 */
export class StreamSlots {
  private readonly byToken = new Map<string, number>();
  private readonly byClinic = new Map<string, number>();

  constructor(private readonly caps: { perToken: number; perClinic: number }) {}

  /** Takes a slot or throws 429; the returned function gives it back (once). */
  acquire(clinicId: string, tokenKey: string): () => void {
    const forToken = this.byToken.get(tokenKey) ?? 0;
    const forClinic = this.byClinic.get(clinicId) ?? 0;
    if (forToken >= this.caps.perToken) {
      throw new TRPCError({ code: 'TOO_MANY_REQUESTS', message: `This sign-in already has ${this.caps.perToken} live-update streams open; close one first` });
    }
    if (forClinic >= this.caps.perClinic) {
      throw new TRPCError({ code: 'TOO_MANY_REQUESTS', message: 'This clinic has too many live-update streams open; try again in a minute' });
    }
    this.byToken.set(tokenKey, forToken + 1);
    this.byClinic.set(clinicId, forClinic + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      decrement(this.byToken, tokenKey);
      decrement(this.byClinic, clinicId);
    };
  }

  /** Streams open now: for tests and diagnostics. */
  get open(): number {
    let n = 0;
    for (const count of this.byClinic.values()) n += count;
    return n;
  }
}

function decrement(counts: Map<string, number>, key: string): void {
  const n = (counts.get(key) ?? 1) - 1;
  if (n <= 0) counts.delete(key);
  else counts.set(key, n);
}
