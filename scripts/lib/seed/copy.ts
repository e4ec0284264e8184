import { once } from 'node:events';
import type pg from 'pg';

/**
 * PostgreSQL's COPY text format, and `COPY … FROM STDIN` over a plain `pg`
 * client without pg-copy-streams: `client.query()` accepts any object with a
 * `submit(connection)` method (a "submittable"), and the connection already
 * speaks the copy sub-protocol (sendCopyFromChunk / endCopyFrom / sendCopyFail).
 */

/** A value as a bulk row holds it: text, numbers, flags, text arrays, timestamps, or null. */
export type CopyValue = string | number | bigint | boolean | null | undefined | Date | readonly string[];

const ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };
const NEEDS_ESCAPE = /[\\\t\n\r]/;

function escapeText(text: string): string {
  return NEEDS_ESCAPE.test(text) ? text.replace(/[\\\t\n\r]/g, (c) => ESCAPES[c] as string) : text;
}

/** An array literal `{"a","b"}` (every element quoted, so commas and braces inside are safe). */
export function arrayLiteral(items: readonly string[]): string {
  return `{${items.map((s) => `"${s.replace(/["\\]/g, (c) => `\\${c}`)}"`).join(',')}}`;
}

/** One value in COPY text format. */
export function copyField(value: CopyValue): string {
  if (value === null || value === undefined) return '\\N';
  if (typeof value === 'string') return escapeText(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`cannot copy ${value}`);
    return String(value);
  }
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'boolean') return value ? 't' : 'f';
  if (value instanceof Date) return value.toISOString();
  return escapeText(arrayLiteral(value));
}

/** Rows in COPY text format, in chunks of about `chunkBytes` characters. */
export function* copyChunks(rows: Iterable<readonly CopyValue[]>, onRow?: () => void, chunkBytes = 1 << 20): Generator<string> {
  let chunk = '';
  for (const row of rows) {
    let line = '';
    for (let i = 0; i < row.length; i++) line += (i === 0 ? '' : '\t') + copyField(row[i]);
    chunk += `${line}\n`;
    onRow?.();
    if (chunk.length >= chunkBytes) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk.length > 0) yield chunk;
}

interface PgConnection {
  query(text: string): void;
  sendCopyFromChunk(chunk: Buffer): void;
  endCopyFrom(): void;
  sendCopyFail(message: string): void;
  stream: NodeJS.WritableStream & { writableNeedDrain?: boolean };
}

/** A `COPY … FROM STDIN` statement fed from an iterable of text chunks; resolves to the rows copied. */
class CopyFromStdin {
  callback?: (error: Error | null, result?: { rowCount: number }) => void;
  private error: Error | null = null;
  private rowCount = 0;
  private failed = false;

  constructor(
    private readonly text: string,
    private readonly chunks: Iterable<string>,
  ) {}

  submit(connection: PgConnection): void {
    connection.query(this.text);
  }

  handleCopyInResponse(connection: PgConnection): void {
    void this.pump(connection);
  }

  private async pump(connection: PgConnection): Promise<void> {
    try {
      for (const chunk of this.chunks) {
        if (this.failed) return;
        connection.sendCopyFromChunk(Buffer.from(chunk, 'utf8'));
        if (connection.stream.writableNeedDrain) await once(connection.stream, 'drain');
      }
      connection.endCopyFrom();
    } catch (error) {
      this.error = error instanceof Error ? error : new Error(String(error));
      connection.sendCopyFail(this.error.message);
    }
  }

  handleCommandComplete(message: { text?: string }): void {
    const match = /^COPY (\d+)/.exec(message.text ?? '');
    if (match) this.rowCount = Number(match[1]);
  }

  handleError(error: Error): void {
    this.failed = true;
    this.error ??= error;
  }

  handleReadyForQuery(): void {
    this.callback?.(this.error, { rowCount: this.rowCount });
  }

  handleRowDescription(): void {}
  handleDataRow(): void {}
  handleEmptyQuery(): void {}
  handlePortalSuspended(): void {}
  handleCopyData(): void {}
}

/** Streams rows into a table with `COPY … FROM STDIN` on a connected client; returns the rows copied. */
export function copyFromStdin(
  client: pg.Client | pg.PoolClient,
  table: string,
  columns: readonly string[],
  chunks: Iterable<string>,
): Promise<number> {
  const statement = `copy ${table} (${columns.join(', ')}) from stdin`;
  return new Promise((resolve, reject) => {
    const submittable = new CopyFromStdin(statement, chunks);
    submittable.callback = (error, result) => (error ? reject(error) : resolve(result?.rowCount ?? 0));
    (client as unknown as { query(s: unknown): void }).query(submittable);
  });
}
