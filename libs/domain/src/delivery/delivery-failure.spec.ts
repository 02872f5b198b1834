import { classifyDeliveryFailure, describeDeliveryFailure } from './delivery-failure';

describe('classifyDeliveryFailure', () => {
  const cases: [string, ReturnType<typeof classifyDeliveryFailure>][] = [
    [
      '550 5.1.1 <mia.jones@example.co.uk>: Recipient address rejected (Mia Jones)',
      { reason: 'mailbox_unavailable', smtpCode: 550, enhancedStatus: '5.1.1' },
    ],
    [
      '550 No such user mia@example.fi',
      { reason: 'mailbox_unavailable', smtpCode: 550, enhancedStatus: null },
    ],
    [
      '552 5.2.2 Mailbox full: aino@example.fi',
      { reason: 'mailbox_full', smtpCode: 552, enhancedStatus: '5.2.2' },
    ],
    [
      '554 5.7.1 Message rejected as spam',
      { reason: 'rejected_by_policy', smtpCode: 554, enhancedStatus: '5.7.1' },
    ],
    [
      '550 5.1.2 Host unknown: example.invalid',
      { reason: 'domain_unavailable', smtpCode: 550, enhancedStatus: '5.1.2' },
    ],
    ['552 5.3.4 Message too big', { reason: 'message_too_large', smtpCode: 552, enhancedStatus: '5.3.4' }],
    ['554 Transaction failed', { reason: 'rejected', smtpCode: 554, enhancedStatus: null }],
    [
      'gave up after 14 attempts: 535 5.7.8 Authentication credentials invalid',
      { reason: 'sender_not_authenticated', smtpCode: 535, enhancedStatus: '5.7.8' },
    ],
    [
      '530 5.7.0 Authentication required',
      { reason: 'sender_not_authenticated', smtpCode: 530, enhancedStatus: '5.7.0' },
    ],
    [
      'gave up after 3 attempts: 451 4.2.1 <mia@example.fi>: try again later',
      { reason: 'temporarily_unavailable', smtpCode: 451, enhancedStatus: '4.2.1' },
    ],
    [
      'gave up after 8 attempts: ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:2525',
      { reason: 'connection_failed', smtpCode: null, enhancedStatus: null },
    ],
    [
      'template error: "recipient.name" is not defined for aino@example.fi',
      { reason: 'template_error', smtpCode: null, enhancedStatus: null },
    ],
    [
      'something odd happened to aino@example.fi',
      { reason: 'unknown', smtpCode: null, enhancedStatus: null },
    ],
    ['', { reason: 'unknown', smtpCode: null, enhancedStatus: null }],
  ];

  it.each(cases)('%s', (text, expected) => {
    const failure = classifyDeliveryFailure(text);
    expect(failure).toEqual(expected);
    // Nothing of the server's text is carried over: no address, no name, no words.
    const described = describeDeliveryFailure(failure);
    expect(JSON.stringify(failure) + described).not.toMatch(
      /@|Mia|Jones|spam|again|Transaction|Host|example|big|odd|defined/,
    );
  });

  it('describes a failure by its category and codes only', () => {
    expect(describeDeliveryFailure(classifyDeliveryFailure('550 5.1.1 <a@b.fi>: no'))).toBe(
      'mailbox_unavailable (SMTP 550 5.1.1)',
    );
    expect(describeDeliveryFailure(classifyDeliveryFailure('ETIMEDOUT: timed out'))).toBe(
      'connection_failed',
    );
  });
});
