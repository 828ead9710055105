/** Slots per {@link Occupancy}: 128 words of 32 bits. */
export const OCCUPANCY_SLOTS = 4096;

const WORDS = OCCUPANCY_SLOTS / 32;

function highestBit(bits: number): number {
  return 31 - Math.clz32(bits);
}

/**
 * Which of 4096 slots are taken: one bit per slot, plus a 128-bit summary of the non-empty words. The
 * nearest taken slot below a given one is then a handful of word operations (`Math.clz32`), never a scan
 * of the slots themselves.
 */
export class Occupancy {
  private readonly words = new Int32Array(WORDS);
  private readonly summary = new Int32Array(WORDS / 32);

  has(slot: number): boolean {
    return ((this.words[slot >>> 5] as number) & (1 << (slot & 31))) !== 0;
  }

  set(slot: number): void {
    const word = slot >>> 5;
    this.words[word] = (this.words[word] as number) | (1 << (slot & 31));
    this.summary[word >>> 5] = (this.summary[word >>> 5] as number) | (1 << (word & 31));
  }

  clear(slot: number): void {
    const word = slot >>> 5;
    const bits = (this.words[word] as number) & ~(1 << (slot & 31));
    this.words[word] = bits;
    if (bits === 0) this.summary[word >>> 5] = (this.summary[word >>> 5] as number) & ~(1 << (word & 31));
  }

  /** The highest taken slot below `slot` (any slot when `slot` is OCCUPANCY_SLOTS), or -1. */
  below(slot: number): number {
    const word = slot >>> 5;
    if (word < WORDS) {
      const here = (this.words[word] as number) & ((1 << (slot & 31)) - 1);
      if (here !== 0) return (word << 5) + highestBit(here);
    }
    const lower = this.wordBelow(word);
    return lower < 0 ? -1 : (lower << 5) + highestBit(this.words[lower] as number);
  }

  /** The highest non-empty word below `word`, or -1. */
  private wordBelow(word: number): number {
    let group = word >>> 5;
    let bits = group < this.summary.length ? (this.summary[group] as number) & ((1 << (word & 31)) - 1) : 0;
    while (bits === 0) {
      if (--group < 0) return -1;
      bits = this.summary[group] as number;
    }
    return (group << 5) + highestBit(bits);
  }
}
