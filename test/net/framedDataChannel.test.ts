/**
 * Framing under y-webrtc (src/net/framedDataChannel.ts). The pipe below stands in for a pair of
 * RTCDataChannels with Chromium's two limits that matter here: `send` throws above 256 KiB, and
 * `bufferedAmount` grows until the other side reads. The real channels are exercised end to end in
 * e2e/device-net.spec.ts (a guardian catching up on a log of more than 256 KiB over WebRTC).
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { randomBytes as nodeRandomBytes } from 'node:crypto';
import {
  FRAME_PAYLOAD_BYTES,
  HIGH_WATER_BYTES,
  createReassembler,
  frameDataChannel,
  framedRtc,
  toFrames,
  type DataChannelLike,
} from '../../src/net/framedDataChannel.ts';

const CHROMIUM_MAX_MESSAGE = 256 * 1024;
const randomBytes = (n: number) => new Uint8Array(nodeRandomBytes(n));

class PipeEnd implements DataChannelLike {
  label = 'pipe';
  readyState: RTCDataChannelState = 'open';
  bufferedAmount = 0;
  binaryType: BinaryType = 'blob';
  bufferedAmountLowThreshold = 0;
  onmessage: DataChannelLike['onmessage'] = null;
  onopen: DataChannelLike['onopen'] = null;
  onclose: DataChannelLike['onclose'] = null;
  onerror: DataChannelLike['onerror'] = null;
  onbufferedamountlow: DataChannelLike['onbufferedamountlow'] = null;
  other!: PipeEnd;
  inFlight: (Uint8Array | string)[] = [];
  wireSizes: number[] = [];
  peakBuffered = 0;
  private lowListeners: (() => void)[] = [];
  send(data: Uint8Array | string): void {
    if (this.readyState !== 'open') throw new DOMException('closed', 'InvalidStateError');
    const size = typeof data === 'string' ? data.length : data.length;
    if (size > CHROMIUM_MAX_MESSAGE) throw new TypeError('RTCDataChannel send: message too large');
    this.inFlight.push(typeof data === 'string' ? data : data.slice());
    this.wireSizes.push(size);
    this.bufferedAmount += size;
    this.peakBuffered = Math.max(this.peakBuffered, this.bufferedAmount);
  }
  close(): void {
    this.readyState = 'closed';
    this.other.readyState = 'closed';
  }
  addEventListener(_type: 'bufferedamountlow', listener: () => void): void {
    this.lowListeners.push(listener);
  }
  /** Delivers what is in flight, in order, as the network would. */
  flush(): void {
    while (this.inFlight.length > 0 && this.other.readyState === 'open') {
      const data = this.inFlight.shift()!;
      const before = this.bufferedAmount;
      this.bufferedAmount -= typeof data === 'string' ? data.length : data.length;
      this.other.onmessage?.({ data: typeof data === 'string' ? data : data.buffer } as MessageEvent);
      if (before > this.bufferedAmountLowThreshold && this.bufferedAmount <= this.bufferedAmountLowThreshold) for (const l of this.lowListeners) l();
    }
  }
}

function pipe(): [PipeEnd, PipeEnd] {
  const a = new PipeEnd();
  const b = new PipeEnd();
  a.other = b;
  b.other = a;
  return [a, b];
}

/** Two framed ends over a pipe; `received` collects whole messages at b. */
function framedPair() {
  const [rawA, rawB] = pipe();
  const a = frameDataChannel(rawA);
  const b = frameDataChannel(rawB);
  a.bufferedAmountLowThreshold = 64 * 1024; // what simple-peer sets
  const received: Uint8Array[] = [];
  b.onmessage = (ev) => received.push(new Uint8Array(ev.data as ArrayBuffer));
  const drain = () => {
    for (let i = 0; i < 10_000 && (rawA.inFlight.length > 0 || a.bufferedAmount > 0); i++) rawA.flush();
  };
  return { rawA, rawB, a, b, received, drain };
}

describe('framed data channels', () => {
  it('a message above Chromium’s 256 KiB limit is refused by the bare channel', () => {
    const [raw] = pipe();
    expect(() => raw.send(new Uint8Array(CHROMIUM_MAX_MESSAGE + 1))).toThrow(/too large/);
  });

  it('messages of every size arrive whole, once and in order; no frame exceeds 64 KiB', () => {
    const { rawA, a, received, drain } = framedPair();
    const sizes = [0, 1, FRAME_PAYLOAD_BYTES - 1, FRAME_PAYLOAD_BYTES, FRAME_PAYLOAD_BYTES + 1, CHROMIUM_MAX_MESSAGE + 1, 1024 * 1024, 3 * 1024 * 1024 + 7];
    const messages = sizes.map((n) => randomBytes(n));
    for (const m of messages) a.send(m as Uint8Array<ArrayBuffer>);
    drain();
    expect(received.map((m) => m.length)).toEqual(sizes);
    received.forEach((m, i) => expect(Buffer.from(m).equals(Buffer.from(messages[i]!))).toBe(true));
    expect(Math.max(...rawA.wireSizes)).toBeLessThanOrEqual(64 * 1024);
  });

  it('waits for the channel to drain instead of piling megabytes into its buffer', () => {
    const { rawA, a, received, drain } = framedPair();
    const big = randomBytes(6 * 1024 * 1024) as Uint8Array<ArrayBuffer>;
    a.send(big);
    // Nothing read yet: only up to the high-water mark went to the channel; the rest is queued.
    expect(rawA.bufferedAmount).toBeLessThanOrEqual(HIGH_WATER_BYTES + FRAME_PAYLOAD_BYTES + 1);
    expect(a.bufferedAmount).toBeGreaterThanOrEqual(big.length);
    drain();
    expect(rawA.peakBuffered).toBeLessThanOrEqual(HIGH_WATER_BYTES + FRAME_PAYLOAD_BYTES + 1);
    expect(received).toHaveLength(1);
    expect(Buffer.from(received[0]!).equals(Buffer.from(big))).toBe(true);
    expect(a.bufferedAmount).toBe(0);
  });

  it('everything but messages and buffering is the inner channel’s own: read through and written through', () => {
    const [raw] = pipe();
    const framed = frameDataChannel(raw);
    expect(framed.label).toBe('pipe');
    raw.readyState = 'closing';
    expect(framed.readyState).toBe('closing');
    const handlers = { onopen: () => 1, onclose: () => 2, onerror: () => 3, onbufferedamountlow: () => 4 };
    for (const [name, handler] of Object.entries(handlers)) {
      (framed as unknown as Record<string, unknown>)[name] = handler;
      expect((raw as unknown as Record<string, unknown>)[name]).toBe(handler);
      expect((framed as unknown as Record<string, unknown>)[name]).toBe(handler);
    }
    framed.bufferedAmountLowThreshold = 12_345;
    expect(raw.bufferedAmountLowThreshold).toBe(12_345);
    raw.bufferedAmountLowThreshold = 6;
    expect(framed.bufferedAmountLowThreshold).toBe(6);
    // Messages are the framed channel's: a handler set on it must not reach the inner channel.
    const onmessage = () => undefined;
    framed.onmessage = onmessage;
    expect(raw.onmessage).not.toBe(onmessage);
  });

  it('sending on a closed channel throws, like the native one (y-webrtc catches it)', () => {
    const { rawA, a } = framedPair();
    rawA.close();
    expect(() => a.send(new Uint8Array(3))).toThrow(/not open/);
  });

  it('a peer that does not speak frames is cut off and nothing reaches y-webrtc', () => {
    for (const hostile of [Uint8Array.of(7, 1, 2, 3), new Uint8Array(0), 'text'] as const) {
      const { rawA, rawB, received } = framedPair();
      rawA.send(hostile as Uint8Array);
      rawA.flush();
      expect(received).toEqual([]);
      expect(rawB.readyState).toBe('closed');
    }
  });

  it('refuses a message above the size cap without buffering it whole', () => {
    const r = createReassembler(100_000);
    const frames = toFrames(new Uint8Array(150_000));
    expect(r.push(frames[0]!)).toBeNull();
    expect(() => r.push(frames[1]!)).toThrow(/too large/);
  });

  it('frames reassemble to the message for any sequence of messages (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 3 * FRAME_PAYLOAD_BYTES }), { maxLength: 6 }), (messages) => {
        const r = createReassembler();
        const out: Uint8Array[] = [];
        for (const m of messages)
          for (const f of toFrames(m)) {
            expect(f.length).toBeLessThanOrEqual(FRAME_PAYLOAD_BYTES + 1);
            const whole = r.push(f);
            if (whole) out.push(whole);
          }
        expect(out.map((m) => Buffer.from(m).toString('hex'))).toEqual(messages.map((m) => Buffer.from(m).toString('hex')));
      }),
      { numRuns: 40 },
    );
  });

  it('framedRtc frames the channels a connection creates and the ones it receives', () => {
    const created: PipeEnd[] = [];
    let nativeHandler: ((ev: { channel: PipeEnd }) => void) | null = null;
    class FakePeerConnection {
      createDataChannel(): PipeEnd {
        const [end] = pipe();
        created.push(end);
        return end;
      }
    }
    Object.defineProperty(FakePeerConnection.prototype, 'ondatachannel', {
      configurable: true,
      get: () => nativeHandler,
      set(h) {
        nativeHandler = h;
      },
    });
    const rtc = framedRtc({ RTCPeerConnection: FakePeerConnection, RTCSessionDescription: class {}, RTCIceCandidate: class {} } as never);
    const pc = new rtc.RTCPeerConnection();
    const channel = pc.createDataChannel('x') as unknown as DataChannelLike;
    channel.send(new Uint8Array(CHROMIUM_MAX_MESSAGE * 2) as Uint8Array<ArrayBuffer>); // would throw unframed
    expect(created[0]!.wireSizes.length).toBeGreaterThan(4);

    const seen: DataChannelLike[] = [];
    pc.ondatachannel = (ev) => seen.push(ev.channel as unknown as DataChannelLike);
    const [incoming] = pipe();
    nativeHandler!({ channel: incoming });
    expect(seen).toHaveLength(1);
    expect(seen[0]).not.toBe(incoming);
    seen[0]!.send(new Uint8Array(CHROMIUM_MAX_MESSAGE * 2) as Uint8Array<ArrayBuffer>);
    expect(incoming.wireSizes.every((n) => n <= 64 * 1024)).toBe(true);
  });
});
