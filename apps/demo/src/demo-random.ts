/** A small seeded generator (mulberry32), so every run of the demo tells the same story. */
export class DemoRandom {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** A number in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }

  /** A whole number near `mean` (roughly normal), kept within [min, max]. */
  around(mean: number, spread: number, min: number, max: number): number {
    const noise = (this.next() + this.next() + this.next() - 1.5) * 2 * spread;
    return Math.min(max, Math.max(min, Math.round(mean + noise)));
  }
}
