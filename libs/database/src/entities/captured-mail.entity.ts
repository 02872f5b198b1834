import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** Development only: mail "sent" without SMTP_URL lands here, for the /dev/inbox page. */
@Entity()
export class CapturedMail {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('text')
  messageId: string;

  @Column('text', { array: true })
  recipients: string[];

  @Column('text')
  subject: string;

  @Column('text')
  raw: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
