/** Line numbers as bits: a million lines in 125 KiB, where a Set of numbers takes tens of MiB. */
export class LineSet {
  size = 0;

  constructor(private bits: Uint32Array = new Uint32Array(1024)) {
    for (const word of bits) this.size += bitCount(word);
  }

  add(line: number): void {
    const word = line >>> 5;
    if (word >= this.bits.length) {
      const grown = new Uint32Array(Math.max(word + 1, this.bits.length * 2));
      grown.set(this.bits);
      this.bits = grown;
    }
    const bit = 1 << (line & 31);
    if ((this.bits[word] & bit) === 0) this.size++;
    this.bits[word] |= bit;
  }

  has(line: number): boolean {
    const word = line >>> 5;
    return word < this.bits.length && (this.bits[word] & (1 << (line & 31))) !== 0;
  }

  /** The bits, to make the same set elsewhere (`new LineSet(bits)` on another thread). */
  get words(): Uint32Array {
    return this.bits;
  }
}

function bitCount(word: number): number {
  let n = 0;
  for (let w = word; w !== 0; w &= w - 1) n++;
  return n;
}
