import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** The tenant: one consultancy or one in-house OKR office. */
@Entity()
export class Workspace {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('text')
  name: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  /**
   * When the sign-up address was confirmed through its mailed link (or a password reset by mail); until
   * then the workspace's outbox mail is held, not sent.
   */
  @Column('timestamptz', { nullable: true })
  emailConfirmedAt: Date | null;
}
