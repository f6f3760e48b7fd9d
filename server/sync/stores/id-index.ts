// A compact in-memory index of ids and the page each was listed on, for a run's ledger of listed ids
// (listed-ids.ts): 8 bytes a slot, no string kept. It only proposes — an id is known by 44 bits of two
// hashes, never by itself — so its callers confirm a "listed on page p" against the ledger's row, or
// take a false "listed" on the safe side (an object spared from deletion for one run).
//
// A slot is two 32-bit words: hash a, and hash b's top 12 bits above the page + 1 in 20 bits; 0 marks a
// free slot (the page field is never 0). A page from 2^20 - 2 on is stored as ANY_PAGE: "some page",
// which the caller then looks for on every page. At a million ids this is 16 MiB, reached in one step
// when the caller knows how many to expect, where 12-byte slots took 24 MiB, and 36 while they doubled.

/** A page the index cannot tell (from 2^20 - 2 on): the id may be on any page. */
export const ANY_PAGE = -1;

const PAGE_BITS = 20;
const PAGE_MASK = (1 << PAGE_BITS) - 1;
const MIN_SLOTS = 1024;
// Slots per id at most: 0.6 keeps linear probing short.
const LOAD = 0.6;

/** FNV-1a and a multiplicative hash of the UTF-16 code units, both 32-bit. */
export function idHashes(id: string): [number, number] {
  let a = 0x811c9dc5;
  let b = 0x9e3779b9;
  for (let i = 0; i < id.length; i++) {
    const c = id.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b + c, 0x85ebca6b) ^ (b >>> 13);
  }
  return [a >>> 0, (b ^ (b >>> 16)) >>> 0];
}

// A slot from hash a, its bits mixed first (FNV-1a's low bits follow the ids' last characters closely).
const home = (ha: number, mask: number) => {
  const x = Math.imul(ha ^ (ha >>> 16), 0x45d9f3b);
  return (x ^ (x >>> 16)) & mask;
};
const pageField = (page: number) => Math.min(page + 1, PAGE_MASK);
const pageOf = (field: number) => (field === PAGE_MASK ? ANY_PAGE : field - 1);
const slotsFor = (ids: number) => {
  let slots = MIN_SLOTS;
  while (slots * LOAD < ids) slots *= 2;
  return slots;
};

export class IdIndex {
  private a = new Uint32Array(MIN_SLOTS);
  private rest = new Uint32Array(MIN_SLOTS);
  private size = 0;

  /**
   * `expected`: how many ids it will likely hold. It starts small all the same (a run may list a few ids
   * of a large synchronisation: a selection, an incremental listing), and the first time it must grow it
   * grows to that size at once, instead of doubling its way there and copying itself each time.
   */
  constructor(private readonly expected = 0) {}

  get slots(): number {
    return this.a.length;
  }

  /** The pages an id with these hashes was recorded on (ANY_PAGE: one the index cannot tell). */
  pagesOf([ha, hb]: [number, number]): number[] {
    const mask = this.a.length - 1;
    const top = hb >>> PAGE_BITS;
    const found: number[] = [];
    for (let slot = home(ha, mask); this.rest[slot] !== 0; slot = (slot + 1) & mask) {
      const rest = this.rest[slot]!;
      if (this.a[slot] === ha && rest >>> PAGE_BITS === top) found.push(pageOf(rest & PAGE_MASK));
    }
    return found;
  }

  /** Whether an id with these hashes was recorded on any page (no array made: deletion planning asks 1M times). */
  has([ha, hb]: [number, number]): boolean {
    const mask = this.a.length - 1;
    const top = hb >>> PAGE_BITS;
    for (let slot = home(ha, mask); this.rest[slot] !== 0; slot = (slot + 1) & mask) {
      if (this.a[slot] === ha && this.rest[slot]! >>> PAGE_BITS === top) return true;
    }
    return false;
  }

  add([ha, hb]: [number, number], page: number): void {
    if (this.size + 1 > this.a.length * LOAD) this.grow();
    this.put(ha, (((hb >>> PAGE_BITS) << PAGE_BITS) | pageField(page)) >>> 0);
  }

  // The home slot comes from hash a, which a slot keeps whole: growing places every entry again by it.
  private put(ha: number, rest: number): void {
    const mask = this.a.length - 1;
    let slot = home(ha, mask);
    for (; this.rest[slot] !== 0; slot = (slot + 1) & mask) {
      if (this.a[slot] === ha && this.rest[slot] === rest) return;
    }
    this.a[slot] = ha;
    this.rest[slot] = rest;
    this.size++;
  }

  private grow(): void {
    const { a, rest } = this;
    const slots = Math.max(a.length * 2, slotsFor(this.expected));
    this.a = new Uint32Array(slots);
    this.rest = new Uint32Array(slots);
    this.size = 0;
    for (let i = 0; i < a.length; i++) if (rest[i] !== 0) this.put(a[i]!, rest[i]!);
  }
}
