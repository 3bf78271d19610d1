/**
 * A set of 128-bit fingerprints (the first 16 bytes of a SHA-256), kept in one typed array with
 * open addressing: 16 bytes a fingerprint at most half full, where a Set of strings costs several
 * times that per entry. A million rows' fingerprints take 32 MiB.
 *
 * The fingerprints are hashes already, so their first word picks the slot.
 */
export class FingerprintSet {
  /** Four 32-bit words a slot; an all-zero slot is empty (the all-zero fingerprint is kept aside). */
  private slots: Uint32Array;
  private mask: number;
  private count = 0;
  private hasZero = false;

  constructor(initialCapacity = 1 << 16) {
    const capacity = 2 ** Math.ceil(Math.log2(Math.max(16, initialCapacity)));
    this.slots = new Uint32Array(capacity * 4);
    this.mask = capacity - 1;
  }

  get size(): number {
    return this.count + (this.hasZero ? 1 : 0);
  }

  has(fingerprint: Uint8Array): boolean {
    check(fingerprint);
    return isZero(fingerprint) ? this.hasZero : this.find(fingerprint, this.slots, this.mask) >= 0;
  }

  /** Adds `fingerprint`; false when it was there already. */
  add(fingerprint: Uint8Array): boolean {
    check(fingerprint);
    if (isZero(fingerprint)) {
      const added = !this.hasZero;
      this.hasZero = true;
      return added;
    }
    const slot = this.find(fingerprint, this.slots, this.mask);
    if (slot >= 0) return false;
    const [a, b, c, d] = [word(fingerprint, 0), word(fingerprint, 4), word(fingerprint, 8), word(fingerprint, 12)];
    if ((this.count + 1) * 2 > this.mask + 1) {
      this.grow();
      this.put(this.free(a), a, b, c, d);
    } else this.put(-slot - 1, a, b, c, d);
    this.count++;
    return true;
  }

  /** The slot holding `fingerprint`, or `-(free slot) - 1` where it would go. */
  private find(f: Uint8Array, slots: Uint32Array, mask: number): number {
    const [a, b, c, d] = [word(f, 0), word(f, 4), word(f, 8), word(f, 12)];
    for (let slot = a & mask; ; slot = (slot + 1) & mask) {
      const at = slot * 4;
      if (slots[at] === a && slots[at + 1] === b && slots[at + 2] === c && slots[at + 3] === d) return slot;
      if ((slots[at] | slots[at + 1] | slots[at + 2] | slots[at + 3]) === 0) return -slot - 1;
    }
  }

  /** The first empty slot from where `first` (a fingerprint's first word) points. */
  private free(first: number): number {
    const { slots, mask } = this;
    let slot = first & mask;
    while ((slots[slot * 4] | slots[slot * 4 + 1] | slots[slot * 4 + 2] | slots[slot * 4 + 3]) !== 0) slot = (slot + 1) & mask;
    return slot;
  }

  private put(slot: number, a: number, b: number, c: number, d: number): void {
    const at = slot * 4;
    this.slots[at] = a;
    this.slots[at + 1] = b;
    this.slots[at + 2] = c;
    this.slots[at + 3] = d;
  }

  private grow(): void {
    const old = this.slots;
    this.slots = new Uint32Array(old.length * 2);
    this.mask = this.slots.length / 4 - 1;
    for (let at = 0; at < old.length; at += 4) {
      if ((old[at] | old[at + 1] | old[at + 2] | old[at + 3]) !== 0) this.put(this.free(old[at]), old[at], old[at + 1], old[at + 2], old[at + 3]);
    }
  }
}

/** The little-endian 32-bit word at `offset`, unsigned (as a Uint32Array holds it). */
function word(bytes: Uint8Array, offset: number): number {
  return (bytes[offset] | (bytes[offset + 1] << 8) | (bytes[offset + 2] << 16) | (bytes[offset + 3] << 24)) >>> 0;
}

function isZero(bytes: Uint8Array): boolean {
  for (let i = 0; i < 16; i++) if (bytes[i] !== 0) return false;
  return true;
}

function check(fingerprint: Uint8Array): void {
  if (fingerprint.length < 16) throw new RangeError(`a fingerprint has 16 bytes, got ${fingerprint.length}`);
}
