import { describe, expect, it } from 'vitest';
import { SseParser } from './sse-parser';

describe('SseParser', () => {
  it('parses named events with JSON data', () => {
    const parser = new SseParser();
    expect(parser.feed('event: status\ndata: {"status":"pending"}\n\n')).toEqual([
      { event: 'status', data: '{"status":"pending"}' },
    ]);
  });

  it('keeps a partial event until the rest arrives, whatever the chunk boundaries', () => {
    const text = 'event: status\ndata: {"a":1}\n\n: heartbeat\n\nevent: status\ndata: {"a":2}\n\n';
    for (let size = 1; size <= text.length; size++) {
      const parser = new SseParser();
      const events = [];
      for (let at = 0; at < text.length; at += size) events.push(...parser.feed(text.slice(at, at + size)));
      expect(events.map((event) => event.data)).toEqual(['{"a":1}', '{"a":2}']);
    }
  });

  it('skips comments and events without data, and joins multi-line data', () => {
    const parser = new SseParser();
    expect(parser.feed(': heartbeat\n\nevent: ping\n\ndata: a\ndata: b\nid: 7\n\n')).toEqual([
      { event: 'message', data: 'a\nb', id: '7' },
    ]);
  });

  it('accepts CRLF and CR line ends', () => {
    const parser = new SseParser();
    expect(parser.feed('event: status\r\ndata: x\r\n\r\n')).toEqual([{ event: 'status', data: 'x' }]);
    // A CR at the end of a chunk may be half of a CRLF: the line waits for the next chunk.
    expect(parser.feed('data: y\r')).toEqual([]);
    expect(parser.feed('\r\n')).toEqual([{ event: 'message', data: 'y' }]);
  });
});
