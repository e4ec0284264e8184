import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { isCurrency } from '../../kit/index.ts';
import { KZT, parseRate } from '../money/money.ts';
import type { OfficialRate } from './rates-file.ts';

/** The source recorded on every rate imported from the National Bank's feed. */
export const NBK_SOURCE = 'National Bank of Kazakhstan';

/** The National Bank's daily feed for one day (`fdate` is DD.MM.YYYY). */
export const nbkRatesUrl = (day: string): string => {
  const [y, m, d] = day.split('-');
  return `https://nationalbank.kz/rss/get_rates.cfm?fdate=${d}.${m}.${y}`;
};

export interface NbkRatesFile {
  /** The day the rates are official for, YYYY-MM-DD. */
  date: string;
  /** KZT per one unit (the feed's `description` divided by its `quant`). */
  rates: OfficialRate[];
  /** Currencies in the file that the register does not know (XDR, …): not imported. */
  skipped: string[];
}

export class MalformedRatesFile extends Error {}

const DAY = /^(\d{2})\.(\d{2})\.(\d{4})$/;
const VALUE = /^\d{1,9}(\.\d{1,6})?$/;
const QUANT = /^(1|10|100|1000|10000|100000|1000000)$/;

function text(value: unknown, where: string): string {
  if (typeof value !== 'string' && typeof value !== 'number') throw new MalformedRatesFile(`${where}: missing`);
  return String(value).trim();
}

/**
 * Parses the National Bank of Kazakhstan's daily rates XML
 * (`<rates><date>DD.MM.YYYY</date><item><fullname/><title>USD</title><description>495.20</description><quant>1</quant><index/><change/></item>…</rates>`).
 * Anything malformed — not well-formed XML, another root, no or a bad date, an
 * item without a code, a rate that is not a positive decimal, a quant that is not
 * a power of ten, a currency twice — refuses the whole file: nothing is returned.
 */
export function parseNbkRatesXml(xml: string, file = 'rates file'): NbkRatesFile {
  const valid = XMLValidator.validate(xml);
  if (valid !== true) throw new MalformedRatesFile(`${file}: not well-formed XML (${valid.err.msg}, line ${valid.err.line})`);
  const parsed = new XMLParser({ parseTagValue: false, trimValues: true, isArray: (name) => name === 'item' }).parse(xml) as Record<
    string,
    unknown
  >;
  const root = parsed.rates as Record<string, unknown> | undefined;
  if (!root || typeof root !== 'object') throw new MalformedRatesFile(`${file}: the root element is not <rates>`);
  const day = DAY.exec(text(root.date, `${file}: <date>`));
  if (!day) throw new MalformedRatesFile(`${file}: <date> is not DD.MM.YYYY`);
  const date = `${day[3]}-${day[2]}-${day[1]}`;
  if (Number.isNaN(Date.parse(`${date}T00:00:00Z`)) || new Date(`${date}T00:00:00Z`).toISOString().slice(0, 10) !== date) {
    throw new MalformedRatesFile(`${file}: <date> ${text(root.date, '')} is not a real day`);
  }
  const items = (root.item ?? []) as Record<string, unknown>[];
  if (items.length === 0) throw new MalformedRatesFile(`${file}: no <item>`);
  const rates: OfficialRate[] = [];
  const skipped: string[] = [];
  const seen = new Set<string>();
  items.forEach((item, index) => {
    const where = `${file}: item ${index + 1}`;
    const code = text(item.title, `${where} <title>`);
    if (!/^[A-Z]{3}$/.test(code)) throw new MalformedRatesFile(`${where}: <title> ${JSON.stringify(code)} is not a currency code`);
    if (seen.has(code)) throw new MalformedRatesFile(`${where}: ${code} appears twice`);
    seen.add(code);
    const value = text(item.description, `${where} <description>`);
    if (!VALUE.test(value)) throw new MalformedRatesFile(`${where}: <description> ${JSON.stringify(value)} is not a rate`);
    const quant = text(item.quant, `${where} <quant>`);
    if (!QUANT.test(quant)) throw new MalformedRatesFile(`${where}: <quant> ${JSON.stringify(quant)} is not a power of ten`);
    let perQuant: bigint;
    try {
      perQuant = parseRate(value, where);
    } catch {
      throw new MalformedRatesFile(`${where}: <description> ${value} is not a positive rate`);
    }
    if (!isCurrency(code) || code === KZT) {
      skipped.push(code);
      return;
    }
    const units = BigInt(quant);
    if (perQuant % units !== 0n) throw new MalformedRatesFile(`${where}: ${value} per ${quant} ${code} has more than 6 decimals per unit`);
    rates.push({ currency: code, date, rateMicro: perQuant / units, source: NBK_SOURCE });
  });
  return { date, rates, skipped };
}
