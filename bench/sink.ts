import { Child, forkTs } from './child';
import type { SinkReply, SinkRequest } from './smtp-sink';

export interface Sink {
  url: string;
  /** Messages accepted so far, and when the last one was (epoch ms; 0 before the first). */
  count(): Promise<{ count: number; lastAt: number }>;
  messageIds(): Promise<string[]>;
  close(): Promise<void>;
}

/**
 * Starts the SMTP sink in its own process and waits until it listens; `delayMs` holds each message's
 * acceptance back by that long, as a provider's does.
 */
export async function startSink(delayMs = 0): Promise<Sink> {
  const sink: Child<SinkRequest, SinkReply> = forkTs('smtp-sink.ts', { SINK_DELAY_MS: String(delayMs) });
  const { url } = await sink.next('listening');
  return {
    url,
    count: () => sink.ask({ type: 'count' }, 'count'),
    messageIds: async () => (await sink.ask({ type: 'messageIds' }, 'messageIds')).ids,
    close: () => sink.stop(),
  };
}
