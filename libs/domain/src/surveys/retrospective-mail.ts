import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AppConfig } from '@luotsi/config';
import { Locale, type OutboxMessage } from '@luotsi/database';
import { EnrichesMail } from '../common/reactions';
import { newToken } from '../common/tokens';
import { AnswersStore } from './answers.store';
import type { Question } from './question-set';

const ONE_TAP_TYPES = ['likert5', 'scale10', 'nps', 'single_choice'];

/**
 * What an invitation or reminder mail carries: a fresh single-use link (its token stored only as a
 * hash) and the first question's answers as one-tap links. A reminder to someone who has answered, or
 * any of these after the run closed, is suppressed instead.
 */
@Injectable()
export class RetrospectiveMail {
  constructor(
    private readonly config: AppConfig,
    private readonly store: AnswersStore,
  ) {}

  @EnrichesMail('retrospective_open', 'retrospective_reminder')
  async enrich(
    manager: EntityManager,
    row: OutboxMessage,
    recipient: { participantId: string | null; locale: Locale },
  ) {
    const invitation = await this.store.invitationForMail(manager, row.quarterId, recipient.participantId);
    if (!invitation) return { suppress: 'not invited to this retrospective' };
    if (invitation.state !== 'open') return { suppress: 'the retrospective closed' };
    if (invitation.used && row.kind === 'retrospective_reminder') return { suppress: 'already answered' };

    const { token, hash } = newToken('r');
    await this.store.addToken(manager, hash, invitation.id);
    const url = `${this.config.http.publicBaseUrl}/r/${token}`;
    const first = (invitation.questions as Question[]).find((q) => ONE_TAP_TYPES.includes(q.type));
    return {
      links: { action: url },
      retrospective: { anonymity: invitation.anonymity },
      ...(first ? { firstQuestion: oneTap(first, recipient.locale, url) } : {}),
    };
  }
}

function oneTap(question: Question, locale: Locale, url: string) {
  const link = (value: string) =>
    `${url}?q=${encodeURIComponent(question.key)}&a=${encodeURIComponent(value)}`;
  const answers =
    question.type === 'single_choice'
      ? (question.options ?? []).map((o) => ({ label: o.text[locale], url: link(o.key) }))
      : Array.from({ length: question.type === 'likert5' ? 5 : 11 }, (_, i) => {
          const value = String(question.type === 'likert5' ? i + 1 : i);
          return { label: value, url: link(value) };
        });
  return { text: question.text[locale], answers };
}
