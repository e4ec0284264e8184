import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGraph, type Graph, type GraphQLResponseBody } from '../harness.ts';
import {
  ALMATY,
  corporate,
  DONATION_FIELDS,
  foreignFoundation,
  freshBin,
  individual,
  isoDay,
  key,
  kzt,
  minor,
  ok,
  outsidePartnerContract,
  RECORD_DONATION,
  recordDonation,
  REFUND_DONATION,
  refused,
  REGISTER_DONOR,
  registerDonor,
  registerOrganization,
  SHYMKENT,
  tokens,
  withoutContracts,
} from './helpers.ts';

let graph: Graph;
let t: ReturnType<typeof tokens>;
/** Recipients: `almaty` in Almaty, `shymkent` in Shymkent; `outsider` receives nothing here. */
let almaty: string;
let shymkent: string;
let outsider: string;
let person: string;
let company: string;
let foundation: string;

beforeAll(async () => {
  graph = await startGraph();
  t = tokens(graph);
  [almaty, shymkent, outsider] = await Promise.all([
    registerOrganization(graph, 'Almaty Care', ALMATY),
    registerOrganization(graph, 'Shymkent Help', SHYMKENT),
    registerOrganization(graph, 'Outsider', ALMATY),
  ]);
  person = await registerDonor(graph, almaty, individual());
  company = await registerDonor(graph, almaty, corporate());
  foundation = await registerDonor(graph, shymkent, foreignFoundation());
}, 180_000);
afterAll(async () => {
  await graph?.close();
});

const today = isoDay();
const donationInput = (over: Record<string, unknown> = {}) => ({
  donorId: company,
  recipientId: almaty,
  amount: { amount: '1000.00', currency: 'KZT' },
  date: today,
  ...over,
});

/** Half-up to the tiyn of amount × rate, computed here independently of the subgraph. */
function expectedKzt(amount: string, digits: number, rate: string): string {
  const [whole, fraction = ''] = rate.split('.');
  const rateMicro = BigInt(whole! + fraction.padEnd(6, '0'));
  const n = minor(amount, digits) * rateMicro * 100n;
  const d = 10n ** BigInt(digits + 6);
  return kzt((2n * n + d) / (2n * d));
}

describe('official exchange rates', () => {
  it('answers the rate of a day, or of the latest earlier day, to anyone', async () => {
    const data = await ok(
      graph,
      `{ onDay: exchangeRate(currency: "USD", date: "2026-11-25") { currency date rate source }
         between: exchangeRate(currency: "USD", date: "2026-11-10") { date rate }
         before: exchangeRate(currency: "USD", date: "2025-12-31") { date } }`,
      {},
    );
    expect(data.onDay).toEqual({ currency: 'USD', date: '2026-11-25', rate: '495.20', source: 'National Bank of Kazakhstan' });
    expect(data.between).toEqual({ date: '2026-11-02', rate: '495.86' });
    expect(data.before).toBeNull();
  });

  it('are recorded by admins only, once per day, with no more than 6 decimals', async () => {
    const RECORD = `mutation ($input: RecordExchangeRateInput!) { recordExchangeRate(input: $input) { currency date rate } }`;
    const input = { currency: 'GBP', date: '2026-11-20', rate: '630.125' };
    expect((await refused(graph, RECORD, { input }, t.coordinatorOf(almaty))).code).toBe('FORBIDDEN');
    expect((await ok(graph, RECORD, { input }, t.admin)).recordExchangeRate).toEqual({
      currency: 'GBP',
      date: '2026-11-20',
      rate: '630.125',
    });
    // The same rate again is the same fact; another rate for that day is a CONFLICT.
    expect((await ok(graph, RECORD, { input }, t.admin)).recordExchangeRate.rate).toBe('630.125');
    expect((await refused(graph, RECORD, { input: { ...input, rate: '631.00' } }, t.admin)).code).toBe('CONFLICT');
    const tooPrecise = await refused(graph, RECORD, { input: { ...input, date: '2026-11-19', rate: '630.1234567' } }, t.admin);
    expect([tooPrecise.code, tooPrecise.argumentName]).toEqual(['BAD_USER_INPUT', 'input.rate']);
    const kztRate = await refused(graph, RECORD, { input: { ...input, currency: 'KZT' } }, t.admin);
    expect([kztRate.code, kztRate.argumentName]).toEqual(['BAD_USER_INPUT', 'input.currency']);
    const ahead = await refused(graph, RECORD, { input: { ...input, date: isoDay(2) } }, t.admin);
    expect([ahead.code, ahead.argumentName]).toEqual(['BAD_USER_INPUT', 'input.date']);
  });
});

describe('donors', () => {
  it('are registered by the organization’s coordinators and admins, with valid identities', async () => {
    expect(
      (await refused(graph, REGISTER_DONOR, { input: { organizationId: almaty, ...individual() } }, t.coordinatorOf(outsider))).code,
    ).toBe('FORBIDDEN');
    expect((await refused(graph, REGISTER_DONOR, { input: { organizationId: almaty, ...individual() } }, t.analyst)).code).toBe(
      'FORBIDDEN',
    );
    await registerDonor(graph, almaty, individual(), t.admin);

    const badIin = await refused(
      graph,
      REGISTER_DONOR,
      { input: { organizationId: almaty, ...individual(), iin: '900517400019' } },
      t.admin,
    );
    expect([badIin.code, badIin.argumentName]).toEqual(['BAD_USER_INPUT', 'input.iin']);
    const noBin = await refused(graph, REGISTER_DONOR, { input: { organizationId: almaty, ...corporate(), bin: null } }, t.admin);
    expect([noBin.code, noBin.argumentName]).toEqual(['BAD_USER_INPUT', 'input.bin']);
    const foreignState = await refused(
      graph,
      REGISTER_DONOR,
      { input: { organizationId: almaty, type: 'FOREIGN_STATE', residency: 'RESIDENT', name: 'Embassy' } },
      t.admin,
    );
    expect([foreignState.code, foreignState.argumentName]).toEqual(['BAD_USER_INPUT', 'input.residency']);
    const bin = freshBin();
    await registerDonor(graph, almaty, { ...corporate(), bin });
    expect((await refused(graph, REGISTER_DONOR, { input: { organizationId: almaty, ...corporate(), bin } }, t.admin)).code).toBe(
      'CONFLICT',
    );
  });

  it('are one per IIN, as per BIN: the same person again is a CONFLICT that writes nothing and does not repeat the IIN', async () => {
    const count = async () => (await sql<{ n: number }>`select count(*)::int as n from donors`.execute(graph.db('donations'))).rows[0]!.n;
    const audited = async () =>
      (await sql<{ n: number }>`select count(*)::int as n from audit_log where action = 'donor.register'`.execute(graph.db('donations')))
        .rows[0]!.n;
    const someone = individual();
    await registerDonor(graph, almaty, someone);
    const [donors, entries] = [await count(), await audited()];
    // Donors are global: again by the same organization, by another one, by an admin.
    for (const [organizationId, token] of [
      [almaty, t.coordinatorOf(almaty)],
      [shymkent, t.coordinatorOf(shymkent)],
      [shymkent, t.admin],
    ] as const) {
      const again = await refused(graph, REGISTER_DONOR, { input: { organizationId, ...someone, name: 'Another Name' } }, token);
      expect([again.code, again.argumentName]).toEqual(['CONFLICT', 'input.iin']);
      expect(JSON.stringify(again.body)).not.toContain(someone.iin as string);
    }
    expect([await count(), await audited()]).toEqual([donors, entries]);
    // Two registrations of the same person at once: exactly one is written.
    const twin = individual();
    const answers = await Promise.all(
      [almaty, shymkent].map((organizationId) =>
        graph.query(REGISTER_DONOR, { variables: { input: { organizationId, ...twin } }, token: t.admin }),
      ),
    );
    expect(answers.filter(({ body }) => !body.errors)).toHaveLength(1);
    expect(answers.filter(({ body }) => body.errors?.[0]?.extensions?.code === 'CONFLICT')).toHaveLength(1);
    expect(await count()).toBe(donors + 1);
  });

  it('show an individual’s IIN and name to admins and the coordinators of organizations it gave to, and to nobody else', async () => {
    const iinDonor = await registerDonor(graph, shymkent, individual());
    await recordDonation(graph, { donorId: iinDonor, recipientId: almaty, amount: '500' });
    const READ = `query ($id: ID!) { donor(id: $id) { id type residency iin name } }`;
    for (const token of [t.admin, t.coordinatorOf(almaty), t.coordinatorOf(shymkent)]) {
      const data = await ok(graph, READ, { id: iinDonor }, token);
      expect(data.donor.iin).toMatch(/^\d{12}$/);
      expect(data.donor.name).toMatch(/^Donor /);
    }
    const withheld = (body: GraphQLResponseBody) => {
      // The rest of the answer is served; the personal fields are null with an error at their path.
      expect(body.data?.donor).toMatchObject({ id: iinDonor, type: 'INDIVIDUAL', residency: 'RESIDENT', iin: null, name: null });
      const codes = new Set(body.errors?.map((e) => e.extensions?.code));
      expect(
        [...codes].every((c) => c === 'FORBIDDEN' || c === 'UNAUTHENTICATED'),
        JSON.stringify(body.errors),
      ).toBe(true);
      expect(body.errors?.map((e) => e.path?.at(-1)).sort()).toEqual(['iin', 'name']);
    };
    for (const token of [t.coordinatorOf(outsider), t.analyst])
      withheld((await graph.query(READ, { variables: { id: iinDonor }, token })).body);
    // A partner: the IIN and the name are not in the partner contract; the rest is.
    const partner = t.partner(crypto.randomUUID());
    await outsidePartnerContract(graph, READ, { id: iinDonor }, partner, 'iin');
    expect((await ok(graph, `query ($id: ID!) { donor(id: $id) { id type residency } }`, { id: iinDonor }, partner)).donor).toEqual({
      id: iinDonor,
      type: 'INDIVIDUAL',
      residency: 'RESIDENT',
    });
    // Behind the contract they are withheld from the partner all the same.
    await withoutContracts(graph, async (query) => withheld(await query(READ, { id: iinDonor }, partner)));
    const { body } = await graph.query(READ, { variables: { id: iinDonor } });
    expect(body.data?.donor?.iin ?? null).toBeNull();
    expect(body.errors?.length).toBeGreaterThan(0);
  });
});

describe('recording a donation', () => {
  it('is for the recipient’s coordinators and admins', async () => {
    for (const token of [t.coordinatorOf(outsider), t.analyst, t.volunteer]) {
      expect((await refused(graph, RECORD_DONATION, { input: donationInput(), key: key() }, token)).code).toBe('FORBIDDEN');
    }
    // Not in the partner contract at all.
    await outsidePartnerContract(
      graph,
      RECORD_DONATION,
      { input: donationInput(), key: key() },
      t.partner(crypto.randomUUID()),
      'recordDonation',
    );
    const anonymous = await refused(graph, RECORD_DONATION, { input: donationInput(), key: key() });
    expect(['UNAUTHENTICATED', 'FORBIDDEN']).toContain(anonymous.code);
    await ok(graph, RECORD_DONATION, { input: donationInput(), key: key() }, t.coordinatorOf(almaty));
    await ok(graph, RECORD_DONATION, { input: donationInput(), key: key() }, t.admin);
  });

  it('converts foreign currency at the official rate of its date, or the latest earlier one, half-up to the tiyn', async () => {
    const onDay = await recordDonation(graph, {
      donorId: foundation,
      recipientId: shymkent,
      amount: '100.50',
      currency: 'USD',
      date: '2026-11-25',
    });
    expect(onDay.amount).toEqual({ amount: '100.50', currency: 'USD' });
    expect(onDay.exchangeRate).toEqual({ rate: '495.20', date: '2026-11-25', source: 'National Bank of Kazakhstan' });
    expect(onDay.amountKzt).toEqual({ amount: '49767.60', currency: 'KZT' });
    expect(onDay.foreignSource).toBe(true);

    const earlier = await recordDonation(graph, {
      donorId: foundation,
      recipientId: shymkent,
      amount: '250.00',
      currency: 'EUR',
      date: '2026-11-05',
    });
    expect(earlier.exchangeRate.date).toBe('2026-11-02');
    expect(earlier.amountKzt.amount).toBe(expectedKzt('250.00', 2, earlier.exchangeRate.rate));

    // JOD has 3 decimals; 10.125 × 698.77 = 7075.04625 KZT, rounded half-up to 7075.05.
    const jod = await recordDonation(graph, {
      donorId: foundation,
      recipientId: shymkent,
      amount: '10.125',
      currency: 'JOD',
      date: '2026-11-24',
    });
    expect(jod.exchangeRate.rate).toBe('698.77');
    expect(jod.amountKzt.amount).toBe('7075.05');

    // A rate recorded by an admin for an earlier day applies to later days without one.
    const gbp = await recordDonation(graph, {
      donorId: foundation,
      recipientId: shymkent,
      amount: '3.01',
      currency: 'GBP',
      date: '2026-11-21',
    });
    expect(gbp.exchangeRate).toMatchObject({ rate: '630.125', date: '2026-11-20' });
    expect(gbp.amountKzt.amount).toBe(expectedKzt('3.01', 2, '630.125'));
  });

  it('refuses bad amounts, currencies, dates and shapes, naming the argument', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ amount: { amount: '100.123', currency: 'USD' } }, 'input.amount.amount'],
      [{ amount: { amount: '10.1234', currency: 'JOD' } }, 'input.amount.amount'],
      [{ amount: { amount: '0', currency: 'KZT' } }, 'input.amount.amount'],
      [{ amount: { amount: '0.00', currency: 'KZT' } }, 'input.amount.amount'],
      [{ amount: { amount: '-5.00', currency: 'KZT' } }, 'input.amount.amount'],
      [{ amount: { amount: '1e3', currency: 'KZT' } }, 'input.amount.amount'],
      // Written as a person or a ledger writes money: no spaces around it, no leading zeros.
      [{ amount: { amount: ' 10', currency: 'KZT' } }, 'input.amount.amount'],
      [{ amount: { amount: '10 ', currency: 'KZT' } }, 'input.amount.amount'],
      [{ amount: { amount: '0010', currency: 'KZT' } }, 'input.amount.amount'],
      [{ amount: { amount: '10.00', currency: 'XYZ' } }, 'input.amount.currency'],
      [{ amount: { amount: '10.00', currency: 'usd' } }, 'input.amount.currency'],
      [{ amount: { amount: '10.00', currency: 'USD' }, date: '2025-12-31' }, 'input.date'],
      [{ date: isoDay(3) }, 'input.date'],
      [{ date: '1990-01-01' }, 'input.date'], // before the tenge (15 November 1993)
      [{ date: '1993-11-14' }, 'input.date'],
      [{ frequency: 'RECURRING' }, 'input.schedule'],
      [
        { frequency: 'RECURRING', schedule: { interval: 'MONTHLY', startsOn: '2026-06-01', endsOn: '2026-05-01' } },
        'input.schedule.endsOn',
      ],
      [{ kind: 'IN_KIND' }, 'input.inKindDescription'],
      [{ donorId: 'not-an-id' }, 'input.donorId'],
    ];
    for (const [over, argument] of cases) {
      const refusal = await refused(graph, RECORD_DONATION, { input: donationInput(over), key: key() }, t.admin);
      expect([refusal.code, refusal.argumentName], JSON.stringify(over)).toEqual(['BAD_USER_INPUT', argument]);
    }
    // The tenge's first day is the earliest a donation is dated, for its coordinators as for admins.
    const beforeTenge = await refused(
      graph,
      RECORD_DONATION,
      { input: donationInput({ date: '1993-11-14' }), key: key() },
      t.coordinatorOf(almaty),
    );
    expect([beforeTenge.code, beforeTenge.argumentName]).toEqual(['BAD_USER_INPUT', 'input.date']);
    expect(beforeTenge.body.errors![0]!.message).toMatch(/tenge/);
    const firstDay = await recordDonation(graph, { donorId: company, recipientId: almaty, amount: '10.00', date: '1993-11-15' });
    expect([firstDay.date, firstDay.receiptNumber]).toEqual(['1993-11-15', '1993-000001']);
    expect(
      (await refused(graph, RECORD_DONATION, { input: donationInput({ donorId: crypto.randomUUID() }), key: key() }, t.admin)).code,
    ).toBe('NOT_FOUND');
    expect(
      (await refused(graph, RECORD_DONATION, { input: donationInput({ recipientId: crypto.randomUUID() }), key: key() }, t.admin)).code,
    ).toBe('NOT_FOUND');
    const shortKey = await refused(graph, RECORD_DONATION, { input: donationInput(), key: 'abc' }, t.admin);
    expect([shortKey.code, shortKey.argumentName]).toEqual(['BAD_USER_INPUT', 'idempotencyKey']);
    const nonResidentNotForeign = await refused(
      graph,
      RECORD_DONATION,
      { input: donationInput({ donorId: foundation, foreignSource: false }), key: key() },
      t.admin,
    );
    expect([nonResidentNotForeign.code, nonResidentNotForeign.argumentName]).toEqual(['BAD_USER_INPUT', 'input.foreignSource']);
  });

  it('records in-kind and recurring gifts, and flags foreign-funded resident donors', async () => {
    const inKind = await ok(
      graph,
      `mutation ($input: RecordDonationInput!, $key: String!) { recordDonation(input: $input, idempotencyKey: $key) { kind inKindDescription amountKzt { amount } frequency } }`,
      {
        input: donationInput({ kind: 'IN_KIND', inKindDescription: 'Ten wheelchairs', amount: { amount: '850000', currency: 'KZT' } }),
        key: key(),
      },
      t.admin,
    );
    expect(inKind.recordDonation).toEqual({
      kind: 'IN_KIND',
      inKindDescription: 'Ten wheelchairs',
      amountKzt: { amount: '850000.00' },
      frequency: 'ONE_TIME',
    });
    const recurring = await ok(
      graph,
      `mutation ($input: RecordDonationInput!, $key: String!) { recordDonation(input: $input, idempotencyKey: $key) { frequency schedule { interval startsOn endsOn } foreignSource } }`,
      {
        input: donationInput({
          donorId: person,
          frequency: 'RECURRING',
          schedule: { interval: 'MONTHLY', startsOn: '2026-01-01' },
          foreignSource: true,
        }),
        key: key(),
      },
      t.admin,
    );
    expect(recurring.recordDonation).toEqual({
      frequency: 'RECURRING',
      schedule: { interval: 'MONTHLY', startsOn: '2026-01-01', endsOn: null },
      foreignSource: true,
    });
  });

  it('numbers receipts per recipient and year, consecutively, even when recorded in parallel', async () => {
    const recipient = await registerOrganization(graph, 'Receipts', ALMATY);
    const donor = await registerDonor(graph, recipient, corporate());
    const first = await recordDonation(graph, { donorId: donor, recipientId: recipient, amount: '10' });
    expect(first.receiptNumber).toBe(`${today.slice(0, 4)}-000001`);
    const lastYear = await recordDonation(graph, { donorId: donor, recipientId: recipient, amount: '10', date: '2025-12-30' });
    expect(lastYear.receiptNumber).toBe('2025-000001');
    const parallel = await Promise.all(
      Array.from({ length: 12 }, (_, i) => recordDonation(graph, { donorId: donor, recipientId: recipient, amount: `${10 + i}` })),
    );
    expect(parallel.map((d) => d.receiptNumber).sort()).toEqual(
      Array.from({ length: 12 }, (_, i) => `${today.slice(0, 4)}-${String(i + 2).padStart(6, '0')}`),
    );
    const other = await recordDonation(graph, { donorId: donor, recipientId: outsider, amount: '10' }, t.admin);
    expect(other.receiptNumber).toBe(`${today.slice(0, 4)}-000001`);
  });
});

describe('idempotency of recordDonation', () => {
  const countRows = async () => {
    const db = graph.db('donations');
    const { rows } = await sql<{ donations: number; audit: number }>`
      select (select count(*) from donations)::int as donations, (select count(*) from audit_log)::int as audit`.execute(db);
    return rows[0]!;
  };

  it('answers the first donation for the same key and content, and writes nothing', async () => {
    const idempotencyKey = key();
    const input = donationInput({ amount: { amount: '1234.50', currency: 'KZT' } });
    const first = (await ok(graph, RECORD_DONATION, { input, key: idempotencyKey }, t.coordinatorOf(almaty))).recordDonation;
    const before = await countRows();
    // "1234.5" is the same amount as "1234.50": the same content.
    const again = (
      await ok(graph, RECORD_DONATION, { input: { ...input, amount: { amount: '1234.5', currency: 'KZT' } }, key: idempotencyKey }, t.admin)
    ).recordDonation;
    expect(again).toEqual(first);
    expect(await countRows()).toEqual(before);
  });

  it('is a CONFLICT for the same key with different content', async () => {
    const idempotencyKey = key();
    await ok(graph, RECORD_DONATION, { input: donationInput(), key: idempotencyKey }, t.admin);
    const before = await countRows();
    const conflict = await refused(
      graph,
      RECORD_DONATION,
      { input: donationInput({ amount: { amount: '1000.01', currency: 'KZT' } }), key: idempotencyKey },
      t.admin,
    );
    expect([conflict.code, conflict.argumentName]).toEqual(['CONFLICT', 'idempotencyKey']);
    expect(await countRows()).toEqual(before);
  });

  it('writes exactly one donation for parallel duplicates', async () => {
    const idempotencyKey = key();
    const input = donationInput({
      donorId: foundation,
      recipientId: shymkent,
      amount: { amount: '77.77', currency: 'USD' },
      date: '2026-11-25',
    });
    const before = await countRows();
    const answers = await Promise.all(
      Array.from({ length: 8 }, () =>
        graph.query(RECORD_DONATION, { variables: { input, key: idempotencyKey }, token: t.coordinatorOf(shymkent) }),
      ),
    );
    for (const { body } of answers) expect(body.errors, JSON.stringify(body.errors)).toBeUndefined();
    expect(new Set(answers.map(({ body }) => body.data!.recordDonation.id)).size).toBe(1);
    const after = await countRows();
    expect(after.donations - before.donations).toBe(1);
    expect(after.audit - before.audit).toBe(1);
  });
});

describe('refunds', () => {
  it('reverse part or all of a donation with linked entries, never more than remains', async () => {
    const donation = await recordDonation(graph, {
      donorId: foundation,
      recipientId: shymkent,
      amount: '100.50',
      currency: 'USD',
      date: '2026-11-25',
    });
    const refund = (amount: string | null, token: string, date = today) =>
      graph.query(REFUND_DONATION, {
        variables: { input: { donationId: donation.id, amount, date, reason: 'Returned to the donor' }, key: key() },
        token,
      });

    expect((await refund('10.00', t.coordinatorOf(almaty))).body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await refund('10.00', t.analyst)).body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const tooMuch = (await refund('100.51', t.coordinatorOf(shymkent))).body.errors?.[0]?.extensions;
    expect([tooMuch?.code, tooMuch?.argumentName]).toEqual(['BAD_USER_INPUT', 'input.amount']);
    const tooPrecise = (await refund('1.001', t.coordinatorOf(shymkent))).body.errors?.[0]?.extensions;
    expect([tooPrecise?.code, tooPrecise?.argumentName]).toEqual(['BAD_USER_INPUT', 'input.amount']);
    const early = (await refund('1.00', t.coordinatorOf(shymkent), '2026-11-24')).body.errors?.[0]?.extensions;
    expect([early?.code, early?.argumentName]).toEqual(['BAD_USER_INPUT', 'input.date']);

    // Three partial refunds at the donation's rate, then the rest: the KZT reversed adds up to the tiyn.
    const parts = [];
    for (const amount of ['33.33', '33.33', '0.01', null]) {
      const { body } = await refund(amount, amount === '0.01' ? t.admin : t.coordinatorOf(shymkent));
      expect(body.errors, JSON.stringify(body.errors)).toBeUndefined();
      parts.push(body.data!.refundDonation);
    }
    expect(parts[0].amountKzt.amount).toBe(expectedKzt('33.33', 2, '495.20'));
    expect(parts.at(-1).amount).toEqual({ amount: '33.83', currency: 'USD' });
    const reversed = parts.reduce((sum, p) => sum + minor(p.amountKzt.amount), 0n);
    expect(kzt(reversed)).toBe(donation.amountKzt.amount);

    const after = await ok(
      graph,
      `query ($id: ID!) { donation(id: $id) { refunded { amount currency } netAmountKzt { amount } refunds { id } } }`,
      { id: donation.id },
      t.admin,
    );
    expect(after.donation).toEqual({
      refunded: { amount: '100.50', currency: 'USD' },
      netAmountKzt: { amount: '0.00' },
      refunds: parts.map((p) => ({ id: p.id })),
    });
    expect((await refund(null, t.admin)).body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('racing for what remains: exactly one wins, the others are BAD_USER_INPUT (more than remains)', async () => {
    const race = async (donationId: string, amount: string | null) =>
      Promise.all(
        Array.from({ length: 6 }, () =>
          graph.query(REFUND_DONATION, {
            variables: { input: { donationId, amount, date: today, reason: 'Race' }, key: key() },
            token: t.coordinatorOf(almaty),
          }),
        ),
      );
    const refundsOf = async (donationId: string) =>
      (await sql<{ n: number }>`select count(*)::int as n from refunds where donation_id = ${donationId}`.execute(graph.db('donations')))
        .rows[0]!.n;

    // Part of it: the losers ask for more than the 2000.00 left, whether they see it before the lock or under it.
    const donation = await recordDonation(graph, { donorId: company, recipientId: almaty, amount: '5000.00' });
    const answers = await race(donation.id, '3000.00');
    expect(answers.filter(({ body }) => !body.errors)).toHaveLength(1);
    for (const { body } of answers.filter(({ body }) => body.errors)) {
      expect(body.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argumentName: 'input.amount' });
      expect(body.errors![0]!.message).toMatch(/more than remains of the donation \(2000\.00 KZT\)/);
    }
    expect(await refundsOf(donation.id)).toBe(1);

    // All that remains: the losers find it refunded in full.
    const whole = await recordDonation(graph, { donorId: company, recipientId: almaty, amount: '700.00' });
    const all = await race(whole.id, null);
    expect(all.filter(({ body }) => !body.errors)).toHaveLength(1);
    for (const { body } of all.filter(({ body }) => body.errors)) {
      expect(body.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argumentName: 'input.donationId' });
    }
    expect(await refundsOf(whole.id)).toBe(1);
  });
});

describe('campaigns', () => {
  const CREATE = `mutation ($input: CreateCampaignInput!) { createCampaign(input: $input) { id title goal { amount currency } raised { amount currency } organization { id } } }`;
  const campaignInput = (over: Record<string, unknown> = {}) => ({
    organizationId: almaty,
    title: 'Winter coats',
    goal: { amount: '1000000.00', currency: 'KZT' },
    startsOn: '2026-10-01',
    endsOn: '2026-12-31',
    ...over,
  });

  it('are started by the organization’s coordinators and admins, with dates in order and a KZT goal', async () => {
    expect((await refused(graph, CREATE, { input: campaignInput() }, t.coordinatorOf(outsider))).code).toBe('FORBIDDEN');
    const outOfOrder = await refused(graph, CREATE, { input: campaignInput({ endsOn: '2026-09-30' }) }, t.coordinatorOf(almaty));
    expect([outOfOrder.code, outOfOrder.argumentName]).toEqual(['BAD_USER_INPUT', 'input.endsOn']);
    const usdGoal = await refused(
      graph,
      CREATE,
      { input: campaignInput({ goal: { amount: '100', currency: 'USD' } }) },
      t.coordinatorOf(almaty),
    );
    expect([usdGoal.code, usdGoal.argumentName]).toEqual(['BAD_USER_INPUT', 'input.goal.currency']);
    const created = (await ok(graph, CREATE, { input: campaignInput() }, t.coordinatorOf(almaty))).createCampaign;
    expect(created).toMatchObject({ goal: { amount: '1000000.00', currency: 'KZT' }, raised: { amount: '0.00', currency: 'KZT' } });
  });

  it('raise the sum of their donations less refunds, readable by anyone', async () => {
    const campaign = (await ok(graph, CREATE, { input: campaignInput({ startsOn: '2026-11-01' }) }, t.admin)).createCampaign.id;
    const wrongOrg = await refused(
      graph,
      RECORD_DONATION,
      { input: donationInput({ recipientId: shymkent, donorId: foundation, campaignId: campaign }), key: key() },
      t.admin,
    );
    expect([wrongOrg.code, wrongOrg.argumentName]).toEqual(['BAD_USER_INPUT', 'input.campaignId']);
    const outside = await refused(
      graph,
      RECORD_DONATION,
      { input: donationInput({ campaignId: campaign, date: '2026-10-15' }), key: key() },
      t.admin,
    );
    expect([outside.code, outside.argumentName]).toEqual(['BAD_USER_INPUT', 'input.date']);

    const usd = await recordDonation(graph, {
      donorId: foundation,
      recipientId: almaty,
      campaignId: campaign,
      amount: '20.25',
      currency: 'USD',
      date: '2026-11-25',
    });
    await recordDonation(graph, { donorId: person, recipientId: almaty, campaignId: campaign, amount: '15000' });
    await ok(
      graph,
      REFUND_DONATION,
      { input: { donationId: usd.id, amount: '5.10', date: today, reason: 'Partly returned' }, key: key() },
      t.admin,
    );
    const data = await ok(graph, `query ($id: ID!) { campaign(id: $id) { raised { amount } donationCount organization { id name } } }`, {
      id: campaign,
    });
    const expected = minor(usd.amountKzt.amount) + 1_500_000n - minor(expectedKzt('5.10', 2, '495.20'));
    expect(data.campaign).toMatchObject({ raised: { amount: kzt(expected) }, donationCount: 2, organization: { id: almaty } });
  });
});

describe('totals others read', () => {
  it('equal a recount from the entries, to the tiyn, after a mixed series of donations and refunds', async () => {
    const region = await registerOrganization(graph, 'Recount', '630000000');
    const sibling = await registerOrganization(graph, 'Recount sibling', '630000000');
    const donors = [
      await registerDonor(graph, region, individual()),
      await registerDonor(graph, region, corporate()),
      await registerDonor(graph, region, foreignFoundation()),
    ];
    const anonymous = await registerDonor(graph, region, { type: 'ANONYMOUS', residency: 'RESIDENT' });
    donors.push(anonymous);
    const currencies = [
      ['KZT', '12345.67'],
      ['USD', '101.99'],
      ['EUR', '49.95'],
      ['JOD', '3.333'],
      ['RUB', '1999.99'],
    ] as const;
    // Days within RATES_MAX_STALENESS_DAYS of an official rate of the shipped rates.csv.
    const dates = ['2026-01-06', '2026-03-04', '2026-07-03', '2026-11-24', '2026-11-27'];
    const recorded = [];
    for (let i = 0; i < 20; i++) {
      const [currency, amount] = currencies[i % currencies.length]!;
      recorded.push(
        await recordDonation(
          graph,
          {
            donorId: donors[i % donors.length]!,
            recipientId: i % 3 === 0 ? sibling : region,
            amount,
            currency,
            date: dates[i % dates.length]!,
            ...(i % 7 === 0 ? { kind: 'IN_KIND', inKindDescription: 'Food parcels' } : {}),
          },
          t.admin,
        ),
      );
    }
    for (const [i, d] of recorded.entries()) {
      if (i % 4 !== 1) continue;
      const amount = i % 8 === 1 ? null : d.amount.currency === 'JOD' ? '1.111' : '1.01';
      await ok(graph, REFUND_DONATION, { input: { donationId: d.id, amount, date: today, reason: 'Mixed series' }, key: key() }, t.admin);
    }

    const db = graph.db('donations');
    const recount = async (where: ReturnType<typeof sql>, refundWhere: ReturnType<typeof sql>) => {
      const { rows } = await sql<{ total: string }>`
        select ((select coalesce(sum(amount_kzt), 0) from donations d where ${where})
              - (select coalesce(sum(r.amount_kzt), 0) from refunds r join donations d on d.id = r.donation_id where ${refundWhere}))::text as total`.execute(
        db,
      );
      return kzt(BigInt(rows[0]!.total));
    };

    const api = await ok(
      graph,
      `query ($a: ID!, $b: ID!) {
        a: organization(id: $a) { all: donationsReceived { amount } spring: donationsReceived(from: "2026-03-01", to: "2026-06-30") { amount } upToNov: donationsReceived(to: "2026-11-24") { amount } }
        b: organization(id: $b) { all: donationsReceived { amount } }
        region(code: "630000000") { donationsTotal(year: 2026) { amount currency } donationTotals(year: 2026) { total { amount } donationCount inKind { amount } foreignSource { amount } byDonorType { donorType total { amount } } byResidency { residency total { amount } } } }
        national: donationTotals(year: 2026) { total { amount } }
      }`,
      { a: region, b: sibling },
    );
    const of = (id: string) => sql`d.recipient_id = ${id}`;
    expect(api.a.all.amount).toBe(await recount(of(region), of(region)));
    expect(api.b.all.amount).toBe(await recount(of(sibling), of(sibling)));
    expect(api.a.spring.amount).toBe(
      await recount(
        sql`${of(region)} and d.donated_on between '2026-03-01' and '2026-06-30'`,
        sql`${of(region)} and r.refunded_on between '2026-03-01' and '2026-06-30'`,
      ),
    );
    expect(api.a.upToNov.amount).toBe(
      await recount(sql`${of(region)} and d.donated_on <= '2026-11-24'`, sql`${of(region)} and r.refunded_on <= '2026-11-24'`),
    );

    const inRegion = sql`d.recipient_region_code = '630000000'`;
    const year = (column: string) => sql`extract(year from ${sql.ref(column)}) = 2026`;
    const regionTotal = await recount(sql`${inRegion} and ${year('d.donated_on')}`, sql`${inRegion} and ${year('r.refunded_on')}`);
    expect(api.region.donationsTotal).toEqual({ amount: regionTotal, currency: 'KZT' });
    expect(api.region.donationTotals.total.amount).toBe(regionTotal);
    expect(api.region.donationTotals.donationCount).toBe(20);
    for (const { donorType, total } of api.region.donationTotals.byDonorType) {
      const type = sql`d.donor_type = ${donorType}`;
      expect(total.amount, donorType).toBe(
        await recount(sql`${inRegion} and ${type} and ${year('d.donated_on')}`, sql`${inRegion} and ${type} and ${year('r.refunded_on')}`),
      );
    }
    for (const { residency, total } of api.region.donationTotals.byResidency) {
      const r = sql`d.donor_residency = ${residency}`;
      expect(total.amount, residency).toBe(
        await recount(sql`${inRegion} and ${r} and ${year('d.donated_on')}`, sql`${inRegion} and ${r} and ${year('r.refunded_on')}`),
      );
    }
    const inKind = sql`d.kind = 'IN_KIND'`;
    expect(api.region.donationTotals.inKind.amount).toBe(await recount(sql`${inRegion} and ${inKind}`, sql`${inRegion} and ${inKind}`));
    const foreign = sql`d.foreign_source`;
    expect(api.region.donationTotals.foreignSource.amount).toBe(
      await recount(sql`${inRegion} and ${foreign}`, sql`${inRegion} and ${foreign}`),
    );
    expect(api.national.total.amount).toBe(await recount(year('d.donated_on'), year('r.refunded_on')));

    // Every campaign's running total against its entries.
    const { rows } = await sql<{ id: string; raised: string; recount: string }>`
      select c.id, c.raised_kzt::text as raised,
        ((select coalesce(sum(amount_kzt), 0) from donations d where d.campaign_id = c.id)
         - (select coalesce(sum(r.amount_kzt), 0) from refunds r join donations d on d.id = r.donation_id where d.campaign_id = c.id))::text as recount
      from campaigns c`.execute(db);
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) expect(row.raised, row.id).toBe(row.recount);
  });
});

describe('reading donations', () => {
  it('is for the recipient’s coordinators, analysts and admins; partners see donations of donors that are theirs', async () => {
    const partnerId = crypto.randomUUID();
    const agency = await registerDonor(graph, shymkent, {
      type: 'INTERNATIONAL_ORG',
      residency: 'NON_RESIDENT',
      name: 'UN agency',
      country: 'CH',
      partnerId,
    });
    const donation = await recordDonation(graph, {
      donorId: agency,
      recipientId: shymkent,
      amount: '1000.00',
      currency: 'USD',
      date: '2026-11-25',
    });
    const READ = `query ($id: ID!) { donation(id: $id) { id receiptNumber amountKzt { amount } donor { partner { id } } } }`;
    for (const token of [t.admin, t.analyst, t.coordinatorOf(shymkent), t.partner(partnerId)]) {
      expect((await ok(graph, READ, { id: donation.id }, token)).donation.id).toBe(donation.id);
    }
    for (const token of [t.coordinatorOf(almaty), t.partner(crypto.randomUUID())]) {
      expect((await refused(graph, READ, { id: donation.id }, token)).code).toBe('FORBIDDEN');
    }
    const LIST = `query ($filter: DonationFilter!) { donations(filter: $filter, first: 5) { nodes { id } } }`;
    expect((await ok(graph, LIST, { filter: { donorId: agency } }, t.partner(partnerId))).donations.nodes).toEqual([{ id: donation.id }]);
    expect((await refused(graph, LIST, { filter: { recipientId: shymkent } }, t.partner(partnerId))).code).toBe('FORBIDDEN');
    expect((await refused(graph, LIST, { filter: { recipientId: shymkent } }, t.coordinatorOf(almaty))).code).toBe('FORBIDDEN');
    expect(
      (await ok(graph, LIST, { filter: { recipientId: shymkent } }, t.coordinatorOf(shymkent))).donations.nodes.length,
    ).toBeGreaterThan(0);
  });

  it('costs the same number of statements for 5 and for 50 donations with their donors, campaigns and refunds', async () => {
    const recipient = await registerOrganization(graph, 'Batching', ALMATY);
    const campaign = (
      await ok(
        graph,
        `mutation ($input: CreateCampaignInput!) { createCampaign(input: $input) { id } }`,
        {
          input: {
            organizationId: recipient,
            title: 'Batch',
            goal: { amount: '1000', currency: 'KZT' },
            startsOn: '2026-01-01',
            endsOn: '2026-12-31',
          },
        },
        t.admin,
      )
    ).createCampaign.id;
    const donors = await Promise.all(Array.from({ length: 10 }, () => registerDonor(graph, recipient, corporate())));
    for (let i = 0; i < 50; i++) {
      await recordDonation(graph, {
        donorId: donors[i % 10]!,
        recipientId: recipient,
        amount: `${100 + i}`,
        ...(i % 2 ? { campaignId: campaign } : {}),
      });
    }
    const LIST = `query ($filter: DonationFilter!, $first: Int) { donations(filter: $filter, first: $first) {
      nodes { ${DONATION_FIELDS} donor { name type bin } campaign { title raised { amount } } refunds { id } recipient { name region { code } } } } }`;
    const cost = async (first: number) => {
      graph.resetStatements();
      const data = await ok(graph, LIST, { filter: { recipientId: recipient }, first }, t.coordinatorOf(recipient));
      expect(data.donations.nodes).toHaveLength(first);
      return { donations: graph.statements('donations'), organizations: graph.statements('organizations') };
    };
    const five = await cost(5);
    const fifty = await cost(50);
    expect(fifty).toEqual(five);
    expect(five.donations).toBeLessThanOrEqual(5);
  });
});

describe('the audit log', () => {
  it('shows every change to admins only', async () => {
    const donation = await recordDonation(graph, { donorId: company, recipientId: almaty, amount: '42.00' });
    const LOG = `query ($filter: DonationsAuditFilter) { donationsAuditLog(filter: $filter, first: 5) { nodes { action entity entityId actorKind actorSubject requestId details } } }`;
    const entries = (await ok(graph, LOG, { filter: { entityId: donation.id } }, t.admin)).donationsAuditLog.nodes;
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ action: 'donation.record', entity: 'Donation', actorKind: 'coordinator' });
    expect(JSON.parse(entries[0].details)).toMatchObject({ amount: '42.00', currency: 'KZT', receiptNumber: donation.receiptNumber });
    for (const token of [t.coordinatorOf(almaty), t.analyst]) expect((await refused(graph, LOG, {}, token)).code).toBe('FORBIDDEN');
  });
});
