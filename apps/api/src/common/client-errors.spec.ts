import { oversizedField } from './client-errors';

describe('oversized requests', () => {
  const packet = (line: string) => Buffer.from(`${line}\r\nHost: x\r\n`, 'latin1');

  it('names the first query parameter of an oversized request line', () => {
    expect(oversizedField(packet(`GET /api/v1/participants?search=${'x'.repeat(20000)}`))).toBe('search');
    expect(oversizedField(packet(`GET /api/v1/x?page%5Bsize%5D=1&q=${'x'.repeat(9)}`))).toBe('page[size]');
  });

  it('says query when no name can be read, and headers when the line has no query', () => {
    expect(oversizedField(packet(`GET /api/v1/x?${'x'.repeat(20000)}`))).toBe('query');
    expect(oversizedField(packet('GET /api/v1/x HTTP/1.1'))).toBe('headers');
    expect(oversizedField(undefined)).toBe('headers');
    expect(oversizedField(packet('GET /x?%E0%A4%A=1'))).toBe('query');
  });
});
