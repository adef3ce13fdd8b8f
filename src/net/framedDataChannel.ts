/**
 * Message framing under y-webrtc's data channels.
 *
 * y-webrtc answers a peer's sync request with everything that peer lacks, as one data-channel
 * message. Browsers cap a message at the SCTP `maxMessageSize` (Chromium: 256 KiB): `send()` throws,
 * y-webrtc swallows the error, and a guardian that was offline while the log grew past that never
 * catches up. A 1 MB vault item alone is 22 entries of 48 KiB, and every long-lived log gets there.
 *
 * So every Cairn data channel carries frames instead of messages: each frame is one flag byte
 * (`MORE` or `LAST`) and at most `FRAME_PAYLOAD_BYTES` of payload; the receiver concatenates frames
 * until `LAST` and hands the whole message on. Channels are reliable and ordered (simple-peer's
 * default), so frames arrive complete and in order. A message is refused above
 * `MAX_MESSAGE_BYTES`, and a peer that sends a bad flag, text or an oversized message has its
 * channel closed (it is not running Cairn's code; y-webrtc reconnects and resyncs from scratch).
 *
 * Sending respects backpressure: frames wait in a queue while the channel's own buffer holds more
 * than `HIGH_WATER_BYTES`, and are pumped again on `bufferedamountlow` — Chromium closes a channel
 * whose buffer passes 16 MiB.
 *
 * `framedRtc()` is handed to simple-peer as its `wrtc` option (through y-webrtc's `peerOpts`): an
 * `RTCPeerConnection` whose created and received data channels are framed, on both ends.
 */

export const FRAME_PAYLOAD_BYTES = 64 * 1024 - 1;
export const MAX_MESSAGE_BYTES = 64 * 1024 * 1024;
export const HIGH_WATER_BYTES = 1024 * 1024;
const MORE = 1;
const LAST = 0;

/** The part of `RTCDataChannel` framing needs (and what simple-peer uses of a channel). */
export interface DataChannelLike {
  readonly label: string;
  readonly readyState: RTCDataChannelState;
  readonly bufferedAmount: number;
  binaryType: BinaryType;
  bufferedAmountLowThreshold: number;
  onmessage: ((ev: MessageEvent) => unknown) | null;
  onopen: ((ev: Event) => unknown) | null;
  onclose: ((ev: Event) => unknown) | null;
  onerror: ((ev: Event) => unknown) | null;
  onbufferedamountlow: ((ev: Event) => unknown) | null;
  send(data: Uint8Array<ArrayBuffer>): void;
  close(): void;
  addEventListener(type: 'bufferedamountlow', listener: () => void): void;
}

/** Splits one message into frames (always at least one: an empty message is one `LAST` frame). */
export function toFrames(message: Uint8Array): Uint8Array<ArrayBuffer>[] {
  const frames: Uint8Array<ArrayBuffer>[] = [];
  let offset = 0;
  do {
    const end = Math.min(offset + FRAME_PAYLOAD_BYTES, message.length);
    const frame = new Uint8Array(1 + end - offset);
    frame[0] = end === message.length ? LAST : MORE;
    frame.set(message.subarray(offset, end), 1);
    frames.push(frame);
    offset = end;
  } while (offset < message.length);
  return frames;
}

/** Reassembles frames; `push` returns a whole message, `null` while one is incomplete, or throws. */
export function createReassembler(maxMessageBytes = MAX_MESSAGE_BYTES) {
  let parts: Uint8Array[] = [];
  let size = 0;
  return {
    push(frame: Uint8Array): Uint8Array | null {
      const flag = frame[0];
      if (frame.length === 0 || (flag !== MORE && flag !== LAST)) throw new Error('not a Cairn frame');
      size += frame.length - 1;
      if (size > maxMessageBytes) throw new Error('message too large');
      parts.push(frame.subarray(1));
      if (flag === MORE) return null;
      const message = new Uint8Array(size);
      let at = 0;
      for (const p of parts) {
        message.set(p, at);
        at += p.length;
      }
      parts = [];
      size = 0;
      return message;
    },
  };
}

/** Wraps a data channel so that `send` frames and `onmessage` sees whole messages. */
export function frameDataChannel(inner: DataChannelLike): DataChannelLike {
  inner.binaryType = 'arraybuffer';
  const queue: Uint8Array<ArrayBuffer>[] = [];
  let queuedBytes = 0;
  let onmessage: DataChannelLike['onmessage'] = null;
  const reassembler = createReassembler();

  const pump = () => {
    while (queue.length > 0 && inner.readyState === 'open' && inner.bufferedAmount <= HIGH_WATER_BYTES) {
      const frame = queue.shift()!;
      queuedBytes -= frame.length;
      inner.send(frame);
    }
    if (inner.readyState !== 'open' && inner.readyState !== 'connecting') {
      queue.length = 0;
      queuedBytes = 0;
    }
  };
  inner.addEventListener('bufferedamountlow', pump);

  inner.onmessage = (ev: MessageEvent) => {
    let message: Uint8Array | null;
    try {
      if (!(ev.data instanceof ArrayBuffer)) throw new Error('text on a binary channel');
      message = reassembler.push(new Uint8Array(ev.data));
    } catch {
      inner.close();
      return;
    }
    if (message && onmessage) onmessage(new MessageEvent('message', { data: message.buffer }));
  };

  const framed = {
    get bufferedAmount() {
      return inner.bufferedAmount + queuedBytes;
    },
    get binaryType(): BinaryType {
      return 'arraybuffer';
    },
    set binaryType(_ignored: BinaryType) {
      // Frames are always read as ArrayBuffers; reassembled messages are delivered as ArrayBuffers.
    },
    get onmessage() {
      return onmessage;
    },
    set onmessage(handler) {
      onmessage = handler;
    },
    send(data: Uint8Array<ArrayBuffer>) {
      // Like the native channel: sending on a channel that isn't open throws (y-webrtc catches it).
      if (inner.readyState !== 'open') throw new DOMException('The data channel is not open', 'InvalidStateError');
      const bytes = data instanceof Uint8Array ? data : new Uint8Array(data as ArrayBufferLike);
      for (const frame of toFrames(bytes)) {
        queue.push(frame);
        queuedBytes += frame.length;
      }
      pump();
    },
    close() {
      queue.length = 0;
      queuedBytes = 0;
      inner.close();
    },
    addEventListener(type: 'bufferedamountlow', listener: () => void) {
      inner.addEventListener(type, listener);
    },
  };
  // Everything else is the inner channel's own.
  for (const name of ['label', 'readyState'] as const) Object.defineProperty(framed, name, { enumerable: true, get: () => inner[name] });
  for (const name of ['bufferedAmountLowThreshold', 'onopen', 'onclose', 'onerror', 'onbufferedamountlow'] as const) {
    Object.defineProperty(framed, name, {
      enumerable: true,
      get: () => inner[name],
      set: (value: never) => {
        inner[name] = value;
      },
    });
  }
  return framed as unknown as DataChannelLike;
}

type RtcImplementation = {
  RTCPeerConnection: typeof RTCPeerConnection;
  RTCSessionDescription: typeof RTCSessionDescription;
  RTCIceCandidate: typeof RTCIceCandidate;
};

/**
 * simple-peer's `wrtc` option: the browser's WebRTC, except that every data channel is framed.
 * The connection is the native one with two members replaced on the instance (`createDataChannel`
 * and the `ondatachannel` handler), which are the only ways simple-peer obtains a channel.
 */
export function framedRtc(base: RtcImplementation = globalThis as unknown as RtcImplementation): RtcImplementation {
  const nativeOnDataChannel = Object.getOwnPropertyDescriptor(base.RTCPeerConnection.prototype, 'ondatachannel');
  function FramedPeerConnection(config?: RTCConfiguration): RTCPeerConnection {
    const pc = new base.RTCPeerConnection(config);
    const create = pc.createDataChannel.bind(pc);
    pc.createDataChannel = (label: string, init?: RTCDataChannelInit) =>
      frameDataChannel(create(label, init) as unknown as DataChannelLike) as unknown as RTCDataChannel;
    let handler: RTCPeerConnection['ondatachannel'] = null;
    Object.defineProperty(pc, 'ondatachannel', {
      configurable: true,
      get: () => handler,
      set(h: RTCPeerConnection['ondatachannel']) {
        handler = h;
        const wrapped = h
          ? (ev: RTCDataChannelEvent) => h.call(pc, { channel: frameDataChannel(ev.channel as unknown as DataChannelLike) } as unknown as RTCDataChannelEvent)
          : null;
        nativeOnDataChannel?.set?.call(pc, wrapped);
      },
    });
    return pc;
  }
  return {
    RTCPeerConnection: FramedPeerConnection as unknown as typeof RTCPeerConnection,
    RTCSessionDescription: base.RTCSessionDescription,
    RTCIceCandidate: base.RTCIceCandidate,
  };
}
