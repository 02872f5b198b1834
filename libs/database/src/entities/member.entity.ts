import { Check, Column, Entity, Index, UpdateDateColumn } from 'typeorm';
import { WorkspaceOwned } from './workspace-owned';
import type { Locale, MemberRole } from './vocabulary';

/** A login of a workspace. Emails are unique across Luotsi so that login needs no workspace name. */
@Entity()
@Index(['email'], { unique: true })
@Check('CHK_member_locale', `"locale" IN ('fi', 'sv', 'en')`)
export class Member extends WorkspaceOwned {
  @Column('text')
  email: string;

  @Column('text')
  name: string;

  @Column('text')
  role: MemberRole;

  /** argon2id; null until an invited member accepts the invitation. */
  @Column('text', { nullable: true, select: false })
  passwordHash: string | null;

  /** The console's language, chosen by the member; null until then (the browser's is used). */
  @Column('text', { nullable: true })
  locale: Locale | null;

  @Column('uuid', { nullable: true })
  invitedById: string | null;

  @Column('timestamptz', { nullable: true })
  acceptedAt: Date | null;

  /** The TOTP secret of the second factor, sealed (AES-256-GCM); null while it is off. */
  @Column('text', { nullable: true, select: false })
  totpSecret: string | null;

  /** A secret being enrolled, sealed, until the first code confirms it. */
  @Column('text', { nullable: true, select: false })
  totpPendingSecret: string | null;

  /** When the second factor was turned on; null: sign-in asks for the password only. */
  @Column('timestamptz', { nullable: true })
  totpEnabledAt: Date | null;

  /** The time step of the last code accepted, so a code is never accepted twice. */
  @Column('bigint', { nullable: true, select: false })
  totpLastStep: string | null;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
