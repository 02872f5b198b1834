import { formatDate } from './helpers';
import { actionButton, bulletList } from './layout';

describe('mail helpers', () => {
  it('formats an ISO date per locale, without shifting the day', () => {
    expect(formatDate('2027-03-31', 'fi')).toBe('31.3.2027');
    expect(formatDate('2027-03-31', 'sv')).toBe('31 mars 2027');
    expect(formatDate('2027-03-31', 'en')).toBe('31 March 2027');
    expect(formatDate('2027-01-01', 'fi')).toBe('1.1.2027');
  });

  it('refuses what is not a calendar date', () => {
    for (const bad of ['2027-02-30', '31.3.2027', '2027-03-31T10:00:00Z', '', undefined, 20270331]) {
      expect(() => formatDate(bad, 'fi')).toThrow(/date: expected an ISO date/);
    }
  });

  it('makes a button of a web link only, escaping its label', () => {
    expect(actionButton('https://luotsi.example.fi/r/abc', 'Vastaa & <lähetä>')).toMatch(
      /^<p [^>]*><a href="https:\/\/luotsi.example.fi\/r\/abc" style="[^"]+">Vastaa &amp; &lt;lähetä&gt;<\/a><\/p>$/,
    );
    expect(() => actionButton('javascript:alert(1)', 'x')).toThrow(/http\(s\) link/);
    expect(() => actionButton(undefined, 'x')).toThrow(/http\(s\) link/);
    expect(() => actionButton('https://x.example', ' ')).toThrow(/label/);
  });

  it('makes a bulleted list of texts, each escaped, and refuses anything else', () => {
    expect(bulletList(['Lyhyt & <selkeä>', 'Toinen'])).toMatch(
      /^<ul [^>]*><li [^>]*>Lyhyt &amp; &lt;selkeä&gt;<\/li><li [^>]*>Toinen<\/li><\/ul>$/,
    );
    expect(() => bulletList('one text')).toThrow(/list of texts/);
    expect(() => bulletList([1, 2])).toThrow(/list of texts/);
  });
});
