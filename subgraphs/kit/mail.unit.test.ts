import { Writable } from 'node:stream';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { createMailer, DEFAULT_MAIL_FROM, mailSettingsFromEnv } from './mail.ts';

describe('the mail adapter', () => {
  it('logs the message in development (no SMTP_URL), from MAIL_FROM or the default sender', async () => {
    const lines: Record<string, any>[] = [];
    const sink = new Writable({ write: (chunk: Buffer, _e, done) => (lines.push(JSON.parse(chunk.toString('utf8'))), done()) });
    const mailer = createMailer(mailSettingsFromEnv({}), pino({ level: 'info' }, sink));
    expect(mailer.transport).toBe('log');
    await mailer.send({ to: 'dana@example.kz', subject: 'Your hours were approved', text: 'Approved.' });
    expect(lines).toHaveLength(1);
    expect(lines[0]!.mail).toEqual({
      from: DEFAULT_MAIL_FROM,
      to: 'dana@example.kz',
      subject: 'Your hours were approved',
      text: 'Approved.',
    });
  });

  it('goes through SMTP when SMTP_URL is set', () => {
    const mailer = createMailer(
      mailSettingsFromEnv({ SMTP_URL: 'smtp://127.0.0.1:2525', MAIL_FROM: 'VG <vg@example.kz>' }),
      pino({ level: 'silent' }),
    );
    expect(mailer.transport).toBe('smtp');
    mailer.close();
  });
});
