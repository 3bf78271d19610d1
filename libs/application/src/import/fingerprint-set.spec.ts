import fc from 'fast-check';
import { createHash } from 'node:crypto';
import { FingerprintSet } from './fingerprint-set';

const fingerprint = (text: string) => createHash('sha256').update(text).digest().subarray(0, 16);
const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

describe('FingerprintSet', () => {
  it('answers as a Set of the same fingerprints would, across growth, for any mix of adds and lookups', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.boolean(), fc.integer({ min: 0, max: 300 })), { maxLength: 600 }), (operations) => {
        const set = new FingerprintSet(16);
        const reference = new Set<string>();
        for (const [add, n] of operations) {
          const f = fingerprint(String(n));
          if (add) expect(set.add(f)).toBe(!reference.has(hex(f)));
          else expect(set.has(f)).toBe(reference.has(hex(f)));
          if (add) reference.add(hex(f));
        }
        expect(set.size).toBe(reference.size);
      }),
    );
  });

  it('keeps fingerprints that share their first word (one slot) apart, and the all-zero one too', () => {
    const set = new FingerprintSet(16);
    const a = Uint8Array.from({ length: 16 }, (_, i) => (i < 4 ? 7 : i));
    const b = Uint8Array.from({ length: 16 }, (_, i) => (i < 4 ? 7 : 100 + i));
    const zero = new Uint8Array(16);
    expect([set.add(a), set.add(b), set.add(zero), set.add(a), set.add(zero)]).toEqual([true, true, true, false, false]);
    expect([set.has(a), set.has(b), set.has(zero), set.size]).toEqual([true, true, true, 3]);
  });

  it('holds a million fingerprints in 32 MiB', () => {
    const set = new FingerprintSet();
    for (let i = 0; i < 1_000_000; i++) set.add(fingerprint(`row ${i}`));
    expect(set.size).toBe(1_000_000);
    expect(set.has(fingerprint('row 999999'))).toBe(true);
    expect(set.has(fingerprint('row 1000000'))).toBe(false);
    expect((set as unknown as { slots: Uint32Array }).slots.byteLength).toBeLessThanOrEqual(32 * 1024 * 1024);
  });
});
