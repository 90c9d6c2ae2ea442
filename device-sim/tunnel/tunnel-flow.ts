import { WINDOW_FRAMES } from '../../services/contract/tunnel-frames.ts';

/*
 * The sequencing and flow-control rules of services/contract/tunnel-frames.ts as plain state,
 * so they are tested without sockets. One tunnel has one of each per direction.
 */

/** What a receiver does with an arriving sequence number. */
export type Arrival = 'take' | 'duplicate' | 'skipped';

/** The receiving side of one direction: exactly the next number is taken. */
export class InboundSequence {
  private next: number;

  /** `first`: the number expected next (1 on the box once OPEN, number 0, was taken). */
  constructor(first = 0) {
    this.next = first;
  }

  /** lower = a QoS 1 redelivery (drop it); higher = a frame was skipped (close with `sequence`). */
  arrive(seq: number): Arrival {
    if (seq < this.next) return 'duplicate';
    if (seq > this.next) return 'skipped';
    this.next++;
    return 'take';
  }
}

/**
 * The sending side of one direction: numbers every frame, and keeps at most `size` DATA frames
 * above the last ACK. Control frames (OPENED, ACK, CLOSE) are numbered but never wait.
 */
export class SendWindow {
  private nextSeq = 0;
  private readonly unacked: number[] = [];
  private highestInFlight = 0;

  constructor(readonly size = WINDOW_FRAMES) {}

  /** The number for the next control frame. */
  control(): number {
    return this.nextSeq++;
  }

  /** The number for the next DATA frame; the caller checks `full` first (a bug otherwise). */
  data(): number {
    if (this.full) throw new RangeError(`the window of ${this.size} DATA frames is full`);
    const seq = this.nextSeq++;
    this.unacked.push(seq);
    this.highestInFlight = Math.max(this.highestInFlight, this.unacked.length);
    return seq;
  }

  /** Releases the DATA frames up to `acked`; answers how many were released. */
  ack(acked: number): number {
    let released = 0;
    while (this.unacked.length > 0 && (this.unacked[0] as number) <= acked) {
      this.unacked.shift();
      released++;
    }
    return released;
  }

  get full(): boolean {
    return this.unacked.length >= this.size;
  }

  get inFlight(): number {
    return this.unacked.length;
  }

  /** The most DATA frames ever unacknowledged at once (tests check it never passes `size`). */
  get maxInFlight(): number {
    return this.highestInFlight;
  }
}

/**
 * When a receiver ACKs: DATA taken in order is acknowledged once its TCP (or WebSocket) end
 * accepted it without back-pressure — at once when the write returned true, after 'drain'
 * otherwise. One ACK covers every frame taken until then.
 */
export class Acknowledger {
  private highest = -1;
  private acked = -1;
  private blocked = false;

  /** A DATA frame was taken and written; `accepted` = the write returned true. */
  taken(seq: number, accepted: boolean): void {
    this.highest = seq;
    if (!accepted) this.blocked = true;
  }

  /** The end emitted 'drain'. */
  drained(): void {
    this.blocked = false;
  }

  /** The number to ACK now, or undefined when nothing new may be acknowledged yet. */
  due(): number | undefined {
    if (this.blocked || this.highest <= this.acked) return undefined;
    this.acked = this.highest;
    return this.highest;
  }

  get waitingForDrain(): boolean {
    return this.blocked;
  }
}
