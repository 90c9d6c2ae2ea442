/** How many request ids a box remembers the answer to (docs/protocol.md, "Redelivery"). */
export const ANSWER_CACHE_SIZE = 64;

/** The answers to the newest request ids; the oldest id is forgotten first. */
export class AnswerCache<T> {
  private readonly answers = new Map<string, T>();

  constructor(private readonly size = ANSWER_CACHE_SIZE) {}

  get(id: string): T | undefined {
    return this.answers.get(id);
  }

  remember(id: string, answer: T): void {
    this.answers.delete(id);
    this.answers.set(id, answer);
    // A Map iterates in insertion order, so the first key is the oldest.
    while (this.answers.size > this.size) this.answers.delete(this.answers.keys().next().value as string);
  }
}
