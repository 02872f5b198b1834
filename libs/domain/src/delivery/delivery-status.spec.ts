import { isGenuine, mailReference, parseMailReference, parseVerp, verpAddress } from './bounce-reference';
import { readDeliveryStatus } from './delivery-status';

const KEY = Buffer.alloc(32, 7);
const ID = '0b6c2f4e-54b9-4d1e-9a57-3f3c1f7f2a10';

/** A Postfix-style DSN, with the status part base64-encoded as some servers send it, inside multipart/mixed. */
const nested = (to: string, headers: string) =>
  [
    `To: ${to}`,
    'Content-Type: multipart/mixed; boundary="outer"',
    '',
    '--outer',
    'Content-Type: multipart/report; report-type=delivery-status;',
    '  boundary="inner"',
    '',
    '--inner',
    'Content-Type: text/plain',
    '',
    'Delivery failed.',
    '--inner',
    'Content-Type: message/delivery-status',
    'Content-Transfer-Encoding: base64',
    '',
    Buffer.from(
      'Reporting-MTA: dns; mx.example.fi\r\n\r\nFinal-Recipient: rfc822; <Aino@Example.fi>\r\nAction: failed\r\n' +
        'Status: 5.1.1 (bad destination mailbox address)\r\nDiagnostic-Code: smtp; 550 5.1.1 User unknown\r\n',
    ).toString('base64'),
    '--inner',
    'Content-Type: text/rfc822-headers',
    '',
    headers,
    '--inner--',
    '--outer--',
    '',
  ].join('\r\n');

describe('bounce references', () => {
  it('sign an outbox id in the header and the VERP address, and refuse another tag', () => {
    const header = mailReference(ID, KEY);
    const verp = verpAddress(ID, KEY, 'bounces.example.fi');
    expect(header).toMatch(new RegExp(`^${ID}\\.[0-9a-f]{16}$`));
    const fromHeader = parseMailReference(header)!;
    expect(parseVerp(`<${verp}>`)).toEqual(fromHeader);
    expect(isGenuine(fromHeader, KEY)).toBe(true);
    expect(isGenuine({ ...fromHeader, tag: '0000000000000000' }, KEY)).toBe(false);
    expect(isGenuine(fromHeader, Buffer.alloc(32, 8))).toBe(false);
    expect(parseMailReference('nonsense')).toBeNull();
  });
});

describe('readDeliveryStatus', () => {
  it('reads the status fields and both references out of a nested, encoded DSN', () => {
    const verp = verpAddress(ID, KEY, 'bounces.example.fi');
    const report = readDeliveryStatus(nested(verp, `Subject: hi\r\nX-Luotsi-Mail: ${ID}.abcdefabcdefabcd`));
    expect(report.references).toEqual([
      { outboxId: ID, tag: verp.slice(verp.indexOf('-', 'bounces+'.length + 36) + 1, verp.indexOf('@')) },
      { outboxId: ID, tag: 'abcdefabcdefabcd' },
    ]);
    expect(report.recipients).toEqual([
      {
        action: 'failed',
        status: '5.1.1',
        finalRecipient: 'aino@example.fi',
        diagnostic: 'smtp; 550 5.1.1 User unknown',
      },
    ]);
  });

  it('finds nothing in a message that is not a DSN', () => {
    expect(readDeliveryStatus('Subject: hello\r\n\r\nJust text')).toEqual({ references: [], recipients: [] });
  });
});
