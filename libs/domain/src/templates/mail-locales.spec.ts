import { LOCALES } from '@luotsi/database';
import { MAIL_LOCALES } from '@luotsi/mail';

describe('mail locales', () => {
  it('are the vocabulary’s languages, in the same order (the mail library writes its own list)', () => {
    expect([...MAIL_LOCALES]).toEqual([...LOCALES]);
  });
});
