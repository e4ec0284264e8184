import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGraph, type Graph, type GraphQLResponseBody } from '../harness.ts';
import { ASTANA, expectError, freshIin, ok, REGISTER_VOLUNTEER, volunteerInput } from './helpers.ts';

/**
 * Self-registration (`registerMe`) must not tell whether an IIN is registered:
 * someone else's IIN is refused exactly like a birth date that does not match,
 * attempts are limited per account and day (counted in the volunteers database,
 * so the limit holds across replicas), and every attempt is audited. The
 * front-office path (`registerVolunteer`) keeps its precise errors.
 */
const REGISTER_ME = `mutation ($input: RegisterVolunteerInput!) { registerMe(input: $input) { id registeredBy } }`;
const LIMIT = 5;

let graph: Graph;
/** A volunteer registered at a front-office: the IIN an account will try. */
let taken: ReturnType<typeof volunteerInput>;

beforeAll(async () => {
  graph = await startGraph({ subgraphs: ['volunteers', 'organizations'] });
  taken = volunteerInput({ birthDate: '1988-04-12', sex: 'MALE' });
  await ok(graph, graph.token({ role: 'front_office', region: ASTANA, sub: 'fo-astana' }), REGISTER_VOLUNTEER, { input: taken });
}, 180_000);
afterAll(async () => {
  await graph?.close();
});

const account = (sub: string) => graph.token({ role: 'volunteer', sub });
const registerMe = async (token: string, input: Record<string, unknown>) =>
  (await graph.query(REGISTER_ME, { variables: { input }, token })).body;
/** What a caller can compare between two refusals. */
const refusalOf = (body: GraphQLResponseBody) => ({
  data: body.data,
  message: body.errors?.[0]?.message,
  extensions: body.errors?.[0]?.extensions,
});

async function attemptsOf(subject: string) {
  const db = graph.db('volunteers');
  const counted = await sql<{
    attempts: number;
  }>`select attempts from self_registration_attempts where account_subject = ${subject}`.execute(db);
  const audit = await sql<{
    details: { outcome: string; attempt: number; code?: string; argumentName?: string | null };
    details_text: string;
  }>`
    select details, details::text as details_text from audit_log where action = 'volunteer.selfRegistration' and entity_id = ${subject} order by at, (details->>'attempt')::int`.execute(
    db,
  );
  const linked = await sql<{ n: number }>`select count(*)::int as n from volunteers where account_subject = ${subject}`.execute(db);
  return { counted: counted.rows[0]?.attempts ?? 0, audit: audit.rows, linked: linked.rows[0]!.n };
}

describe('registerMe', () => {
  it('answers somebody else’s IIN exactly as a birth date that does not match: one generic refusal pointing to a front-office', async () => {
    const subject = 'idp|prober';
    const token = account(subject);
    // The review's case: someone else's IIN with their birth date and sex.
    const someoneElse = await registerMe(token, { ...volunteerInput(), iin: taken.iin, birthDate: taken.birthDate, sex: taken.sex });
    // A mistyped birth date with a well-formed IIN.
    const mistyped = await registerMe(token, { ...volunteerInput({ birthDate: '1995-06-07', sex: 'FEMALE' }), birthDate: '1995-06-08' });
    // A sex that does not agree with the IIN.
    const wrongSex = await registerMe(token, { ...volunteerInput({ birthDate: '1995-06-07', sex: 'FEMALE' }), sex: 'MALE' });

    expectError(someoneElse, 'BAD_USER_INPUT', 'input');
    expect(someoneElse.errors![0]!.message).toMatch(/front-office/);
    expect(someoneElse.errors![0]!.message).not.toMatch(/registered|already|exists|IIN/i);
    expect(refusalOf(mistyped)).toEqual(refusalOf(someoneElse));
    expect(refusalOf(wrongSex)).toEqual(refusalOf(someoneElse));

    // An IIN that is not even well-formed reveals nobody, and is refused precisely.
    expectError(await registerMe(token, { ...volunteerInput(), iin: '123' }), 'BAD_USER_INPUT', 'input.iin');

    // Nothing linked; every attempt counted and audited with its real reason, never the IIN.
    const seen = await attemptsOf(subject);
    expect(seen.linked).toBe(0);
    expect(seen.counted).toBe(4);
    expect(seen.audit.map((a) => a.details)).toEqual([
      { outcome: 'REFUSED', attempt: 1, code: 'CONFLICT', argumentName: 'input.iin' },
      { outcome: 'REFUSED', attempt: 2, code: 'BAD_USER_INPUT', argumentName: 'input.iin' },
      { outcome: 'REFUSED', attempt: 3, code: 'BAD_USER_INPUT', argumentName: 'input.iin' },
      { outcome: 'REFUSED', attempt: 4, code: 'BAD_USER_INPUT', argumentName: 'input.iin' },
    ]);
    for (const entry of seen.audit) expect(entry.details_text).not.toContain(taken.iin);
  });

  it(`takes at most ${LIMIT} attempts per account and day, then RATE_LIMITED even for valid details; other accounts are not affected`, async () => {
    const subject = 'idp|persistent';
    const token = account(subject);
    for (let i = 0; i < LIMIT; i++) {
      expectError(
        await registerMe(token, { ...volunteerInput(), iin: taken.iin, birthDate: taken.birthDate, sex: taken.sex }),
        'BAD_USER_INPUT',
        'input',
      );
    }
    const valid = volunteerInput({ birthDate: '1999-09-09', sex: 'MALE' });
    const limited = await registerMe(token, valid);
    expectError(limited, 'RATE_LIMITED');
    expect(limited.errors![0]!.message).toMatch(/front-office/);
    expectError(
      await registerMe(token, { ...volunteerInput(), iin: taken.iin, birthDate: taken.birthDate, sex: taken.sex }),
      'RATE_LIMITED',
    );

    const seen = await attemptsOf(subject);
    expect(seen.linked).toBe(0);
    expect(seen.counted).toBe(LIMIT + 2);
    expect(seen.audit.map((a) => a.details.outcome)).toEqual([...Array(LIMIT).fill('REFUSED'), 'REFUSED', 'REFUSED']);
    expect(seen.audit.slice(LIMIT).map((a) => a.details.code)).toEqual(['RATE_LIMITED', 'RATE_LIMITED']);

    // Another account registers with the same valid details at its first attempt, and that is audited too.
    const other = 'idp|newcomer';
    const data = await ok(graph, account(other), REGISTER_ME, { input: valid });
    expect(data.registerMe.registeredBy).toBe('SELF');
    const accepted = await attemptsOf(other);
    expect(accepted.linked).toBe(1);
    expect(accepted.audit.map((a) => a.details)).toEqual([{ outcome: 'ACCEPTED', attempt: 1, volunteerId: data.registerMe.id }]);
  });

  it('the front-office path keeps its precise errors', async () => {
    const fo = graph.token({ role: 'front_office', region: ASTANA, sub: 'fo-astana' });
    const takenAgain = await graph.query(REGISTER_VOLUNTEER, {
      variables: { input: { ...volunteerInput(), iin: taken.iin, birthDate: taken.birthDate, sex: taken.sex } },
      token: fo,
    });
    expectError(takenAgain.body, 'CONFLICT', 'input.iin');
    expect(takenAgain.body.errors![0]!.message).toMatch(/already registered/);
    const iin = freshIin('1995-06-07', 'FEMALE');
    const mismatch = await graph.query(REGISTER_VOLUNTEER, {
      variables: { input: { ...volunteerInput(), iin, birthDate: '1995-06-08', sex: 'FEMALE' } },
      token: fo,
    });
    expectError(mismatch.body, 'BAD_USER_INPUT', 'input.iin');
    expect(mismatch.body.errors![0]!.message).toMatch(/birth date 1995-06-07/);
  });
});
