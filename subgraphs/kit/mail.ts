import nodemailer from 'nodemailer';
import type { Logger } from '../../platform/logger.ts';

/** One e-mail: plain text, one recipient. */
export interface MailMessage {
  to: string;
  subject: string;
  text: string;
}

/** Where e-mails go: SMTP through nodemailer, or (development, no SMTP_URL) the log. */
export interface Mailer {
  readonly transport: 'smtp' | 'log';
  send(message: MailMessage): Promise<void>;
  close(): void;
}

export const DEFAULT_MAIL_FROM = 'Volunteer Graph <no-reply@volunteer-graph.local>';

export interface MailSettings {
  /** SMTP_URL, e.g. `smtp://user:pass@host:587`; without it the message is logged. */
  smtpUrl?: string | undefined;
  /** MAIL_FROM. */
  from?: string | undefined;
}

/**
 * The mail adapter: nodemailer over SMTP when `smtpUrl` is set, else a logger
 * that writes each message (development). A send that fails throws, so the
 * job that called it retries later.
 */
export function createMailer(settings: MailSettings, log: Logger): Mailer {
  const from = settings.from || DEFAULT_MAIL_FROM;
  if (!settings.smtpUrl) {
    return {
      transport: 'log',
      async send(message) {
        log.info({ mail: { from, ...message } }, 'e-mail (no SMTP_URL: logged, not sent)');
      },
      close() {},
    };
  }
  const transporter = nodemailer.createTransport(settings.smtpUrl);
  return {
    transport: 'smtp',
    async send(message) {
      await transporter.sendMail({ from, to: message.to, subject: message.subject, text: message.text });
    },
    close() {
      transporter.close();
    },
  };
}

/** The mail settings of the environment (SMTP_URL, MAIL_FROM). */
export function mailSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): MailSettings {
  return { smtpUrl: env.SMTP_URL || undefined, from: env.MAIL_FROM || undefined };
}
