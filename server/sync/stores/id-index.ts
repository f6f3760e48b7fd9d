// A compact in-memory index of ids and the page each was listed on, for a run's ledger of listed ids
// (listed-ids.ts): 8 bytes a slot, no string kept. It only proposes — an id is known by 44 bits of two
// hashes, never by itself — so its callers confirm a "listed on page p" against the ledger's row, or
// take a false "listed" on the safe side (an object spared from deletion for one run).
//
// A slot is two 32-bit words side by side: hash a, and hash b's top 12 bits above the page + 1 in 20
// bits; 0 marks a free slot (the page field is never 0). A page from 2^20 - 2 on is stored as ANY_PAGE:
// "some page", which the caller then looks for on every page. At a million ids this is 16 MiB, reached in
// one step when the caller knows how many to expect, where 12-byte slots took 24 MiB, and 36 while they
// doubled.
//
// Every listed id is looked up and then added, so at a million ids this is a hot loop over a table far
// larger than the processor's caches (issue 14): the two words of a slot share a cache line (they were
// two arrays, two lines a probe), and an id is hashed into fields rather than a pair (two million
// short-lived arrays a run), its pages only gathered into an array where there are any — about a fifth
// less time for a million lookups and adds (a microbenchmark: ~300 → ~240 ms).

/** A page the index cannot tell (from 2^20 - 2 on): the id may be on any page. */
export const ANY_PAGE = -1;

const PAGE_BITS = 20;
const PAGE_MASK = (1 << PAGE_BITS) - 1;
const MIN_SLOTS = 1024;
// Slots per id at most: 0.6 keeps linear probing short.
const LOAD = 0.6;

// The last id's hashes (hashId): module fields, not a returned pair.
let hashA = 0;
let hashB = 0;

/** FNV-1a and a multiplicative hash of the UTF-16 code units, both 32-bit, into hashA and hashB. */
function hashId(id: string): void {
  let a = 0x811c9dc5;
  let b = 0x9e3779b9;
  for (let i = 0; i < id.length; i++) {
    const c = id.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b + c, 0x85ebca6b) ^ (b >>> 13);
  }
  hashA = a >>> 0;
  hashB = (b ^ (b >>> 16)) >>> 0;
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
  // Slot s: words[2s] is hash a, words[2s + 1] the rest (0: free).
  private words = new Uint32Array(2 * MIN_SLOTS);
  private size = 0;

  /**
   * `expected`: how many ids it will likely hold. It starts small all the same (a run may list a few ids
   * of a large synchronisation: a selection, an incremental listing), and the first time it must grow it
   * grows to that size at once, instead of doubling its way there and copying itself each time.
   */
  constructor(private readonly expected = 0) {}

  get slots(): number {
    return this.words.length / 2;
  }

  /** The pages an id was recorded on (ANY_PAGE: one the index cannot tell). */
  pagesOf(id: string): number[] {
    return this.otherPages(id, Number.NaN) ?? [];
  }

  /**
   * The pages other than `page` an id was recorded on, or null for none — no array made then: a run
   * asks this of every id it lists.
   */
  otherPages(id: string, page: number): number[] | null {
    hashId(id);
    const words = this.words;
    const mask = words.length / 2 - 1;
    const ha = hashA;
    const top = hashB >>> PAGE_BITS;
    let found: number[] | null = null;
    for (let slot = home(ha, mask); words[2 * slot + 1] !== 0; slot = (slot + 1) & mask) {
      const rest = words[2 * slot + 1]!;
      if (words[2 * slot] !== ha || rest >>> PAGE_BITS !== top) continue;
      const at = pageOf(rest & PAGE_MASK);
      if (at !== page) (found ??= []).push(at);
    }
    return found;
  }

  /** Whether an id was recorded on any page (no array made: deletion planning asks 1M times). */
  has(id: string): boolean {
    hashId(id);
    const words = this.words;
    const mask = words.length / 2 - 1;
    const ha = hashA;
    const top = hashB >>> PAGE_BITS;
    for (let slot = home(ha, mask); words[2 * slot + 1] !== 0; slot = (slot + 1) & mask) {
      if (words[2 * slot] === ha && words[2 * slot + 1]! >>> PAGE_BITS === top) return true;
    }
    return false;
  }

  add(id: string, page: number): void {
    if (this.size + 1 > this.slots * LOAD) this.grow();
    hashId(id);
    this.put(hashA, (((hashB >>> PAGE_BITS) << PAGE_BITS) | pageField(page)) >>> 0);
  }

  // The home slot comes from hash a, which a slot keeps whole: growing places every entry again by it.
  private put(ha: number, rest: number): void {
    const words = this.words;
    const mask = words.length / 2 - 1;
    let slot = home(ha, mask);
    for (; words[2 * slot + 1] !== 0; slot = (slot + 1) & mask) {
      if (words[2 * slot] === ha && words[2 * slot + 1] === rest) return;
    }
    words[2 * slot] = ha;
    words[2 * slot + 1] = rest;
    this.size++;
  }

  private grow(): void {
    const old = this.words;
    // Twice the slots, or as many as expected (words are two a slot).
    this.words = new Uint32Array(2 * Math.max(old.length, slotsFor(this.expected)));
    this.size = 0;
    for (let i = 0; i < old.length; i += 2) if (old[i + 1] !== 0) this.put(old[i]!, old[i + 1]!);
  }
}
