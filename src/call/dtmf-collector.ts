// Collects keypad digits into one entry: '#' ends it at once, otherwise a pause does (the session owns the timer).

export type DtmfEntry = { digits: string; endedBy: 'pound' | 'pause' };

export class DtmfCollector {
  #digits = '';

  /** Adds a digit; returns the finished entry when the digit was '#'. */
  press(digit: string): DtmfEntry | null {
    if (digit === '#') return this.#finish('pound');
    if (/^[0-9*]$/.test(digit)) this.#digits += digit;
    return null;
  }

  /** The pause timer fired: whatever was keyed is the entry. */
  pause(): DtmfEntry | null {
    return this.#finish('pause');
  }

  get hasDigits(): boolean {
    return this.#digits.length > 0;
  }

  #finish(endedBy: DtmfEntry['endedBy']): DtmfEntry | null {
    if (this.#digits.length === 0) return null;
    const entry = { digits: this.#digits, endedBy };
    this.#digits = '';
    return entry;
  }
}
