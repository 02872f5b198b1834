import type { Request, Response } from 'express';
import type { Member } from '@luotsi/database';
import type { Actor } from '@luotsi/domain';
import { isLanguage, languageFromHeader, textsFor, type Language } from '@luotsi/texts';
import { cookiesOf, csrfBinding, csrfTokenFor, LANGUAGE_COOKIE } from './session';
import type { LayoutContext } from './views';

/** A console request: the acting member when signed in (set by the tenant middleware from the cookie). */
export type ConsoleRequest = Request & { actor?: Actor; member?: Member };

/** The member's chosen language, else the one chosen before sign-in, else the browser's, else English. */
export function languageOf(request: ConsoleRequest): Language {
  const chosen = request.member?.locale;
  if (isLanguage(chosen)) return chosen;
  const cookie = cookiesOf(request)[LANGUAGE_COOKIE];
  if (isLanguage(cookie)) return cookie;
  return languageFromHeader(request.get('accept-language')) ?? 'en';
}

type NavKey = 'home' | 'organizations' | 'members' | 'templates' | 'webhooks' | 'audit' | 'queues';

const NAV: Record<string, { key: NavKey; href: string }[]> = {
  owner: [
    { key: 'home', href: '/app' },
    { key: 'organizations', href: '/app/organizations' },
    { key: 'members', href: '/app/members' },
    { key: 'templates', href: '/app/templates' },
    { key: 'webhooks', href: '/app/webhooks' },
    { key: 'audit', href: '/app/audit' },
    { key: 'queues', href: '/app/operator' },
  ],
  coach: [
    { key: 'home', href: '/app' },
    { key: 'organizations', href: '/app/organizations' },
  ],
  sponsor: [{ key: 'home', href: '/app' }],
};

/**
 * Everything the layout needs for this request: language, the form token, the member and the menu.
 * Pass the response when the page has a form, so a visitor without a session gets a form cookie.
 */
export function pageContext(
  request: ConsoleRequest,
  response: Response | null,
  title: string,
  secure: boolean,
): LayoutContext {
  const locale = languageOf(request);
  const t = textsFor(locale);
  const binding = csrfBinding(request, response, secure);
  const member = request.member;
  const path = request.path;
  const nav = member
    ? (NAV[member.role] ?? []).map(({ key, href }) => ({
        href,
        label: t(`console:layout.nav.${key}`),
        current: href === '/app' ? path === '/app' || path === '/app/' : path.startsWith(href),
      }))
    : undefined;
  return {
    locale,
    csrf: binding ? csrfTokenFor(binding) : '',
    title,
    path: request.originalUrl,
    member: member ? { name: member.name, role: t(`common:roles.${member.role}`) } : undefined,
    nav,
  };
}
