import type { Response } from 'express';
import type { Locale } from '@luotsi/database';
import type { GoneReason, Refusal, Refused } from '@luotsi/domain';
import { inEachLanguage } from '@luotsi/texts';
import { renderPage } from './page';

export interface Words {
  title: string;
  body: string;
}

/** What a page says for a refusal: for a gone link by its reason, else by kind, else the common words. */
export type RefusalTexts = Partial<Record<Refusal['kind'] | GoneReason, Words>>;

/** The paths of the pages for people without an account: retrospective, check-in, planning, unsubscribe, shared report. */
export const PARTICIPANT_PAGES = /^\/(r|c|p|u|s)\//;

const STATUS: Record<Refusal['kind'], number> = { unknown: 404, used: 409, gone: 410 };

/** Where the person's language is not known, the page speaks all three, English first. */
const ALL: Locale[] = ['en', 'fi', 'sv'];

const KINDS = ['unknown', 'used', 'gone', 'tooMany', 'failed'] as const;

/** The words every participant page shares (catalogue `participant:words`). */
export const COMMON_WORDS = Object.fromEntries(
  KINDS.map((kind) => [
    kind,
    inEachLanguage((t) => ({
      title: t(`participant:words.${kind}.title`),
      body: t(`participant:words.${kind}.body`),
    })),
  ]),
) as Record<(typeof KINDS)[number], Record<Locale, Words>>;

/**
 * The one error page of the participant pages (`/r`, `/c`, `/u`, `/s`): in `locale`, or, where the
 * person's language is not known, in all three. Small, escaped, and it says nothing about anyone.
 */
export function sendErrorPage(
  response: Response,
  status: number,
  say: (locale: Locale) => Words,
  locale?: Locale,
): void {
  const shown = locale ? [locale] : ALL;
  const words = shown.map((l) => ({ lang: l, ...say(l) }));
  response
    .status(status)
    .set('Cache-Control', 'no-store')
    .type('html')
    .send(
      renderPage({
        locale: shown[0],
        title: words[0].title,
        heading: words.map((w) => w.title).join(' · '),
        paragraphs: words.map((w) => (locale ? w.body : { lang: w.lang, text: w.body })),
      }),
    );
}

/** A refused link: 404 unknown, 409 used, 410 gone, in `lang`, else the person's language. */
export function sendRefusal(
  response: Response,
  { refusal, locale }: Refused,
  texts: Partial<Record<Locale, RefusalTexts>>,
  lang?: Locale,
): void {
  const say = (l: Locale): Words =>
    (refusal.kind === 'gone' ? texts[l]?.[refusal.reason] : undefined) ??
    texts[l]?.[refusal.kind] ??
    COMMON_WORDS[refusal.kind][l];
  sendErrorPage(response, STATUS[refusal.kind], say, lang ?? locale);
}

/** A form posted from another origin: 403, with the words of an unknown link (it tells nothing). */
export function sendCrossOrigin(response: Response): void {
  sendErrorPage(response, 403, (l) => COMMON_WORDS.unknown[l]);
}

/** What a participant page answers for an error raised outside its handler (rate limit, a failure). */
export function sendFailurePage(response: Response, status: number): void {
  const words =
    status === 429 ? COMMON_WORDS.tooMany : status === 404 ? COMMON_WORDS.unknown : COMMON_WORDS.failed;
  sendErrorPage(response, status, (l) => words[l]);
}
