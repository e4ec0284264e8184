import type { Kysely } from 'kysely';
import {
  BadUserInput,
  Conflict,
  DomainError,
  Forbidden,
  hasRole,
  isUniqueViolation,
  isWellFormedIin,
  NotFound,
  parseDay,
  parseId,
  parseIin,
  parseOptionalText,
  parseRegionCode,
  parseText,
  auditedTransaction,
  recordAudit,
  today,
  Unauthenticated,
  type Sex,
} from '../../kit/index.ts';
import type { VolunteersContext } from '../context.ts';
import type { VolunteersDB } from '../migrations/tables.ts';
import { addRegionVolunteers } from '../totals/totals.repository.ts';
import { ageBand, ageOn, GUARDIAN_CONSENT_BELOW } from './age.ts';
import { isSelf, mayOwnVolunteerAccount } from '../access.ts';
import { parseEmail, parseLanguages, parsePhone, parseTextList } from './volunteer.input.ts';
import {
  countSelfRegistrationAttempt,
  insertVolunteer,
  lockVolunteer,
  updateVolunteerRow,
  type NewVolunteer,
  type RegistrationChannel,
  type Volunteer,
  type VolunteerChanges,
} from './volunteer.repository.ts';

export interface RegisterVolunteerInput {
  iin: string;
  firstName: string;
  lastName: string;
  patronymic?: string | null;
  birthDate: string;
  sex: Sex;
  regionCode: string;
  skills?: string[] | null;
  languages?: string[] | null;
  phone?: string | null;
  email?: string | null;
  guardianConsent?: { guardianName: string; relationship?: string | null; givenOn: string } | null;
}

/** Validates a registration; the IIN must agree with the birth date and sex given. */
function parseRegistration(
  input: RegisterVolunteerInput,
  registeredBy: RegistrationChannel,
  accountSubject: string | null,
  recordedBy: string | null,
): NewVolunteer {
  const birthDate = parseDay(input.birthDate, 'input.birthDate');
  const now = today();
  if (birthDate > now) throw new BadUserInput('input.birthDate', 'is in the future');
  const age = ageOn(birthDate, now);
  if (age > 120) throw new BadUserInput('input.birthDate', 'more than 120 years ago');
  const iin = parseIin(input.iin, 'input.iin', birthDate, input.sex);
  let guardianConsent: NewVolunteer['guardianConsent'] = null;
  if (input.guardianConsent) {
    const givenOn = parseDay(input.guardianConsent.givenOn, 'input.guardianConsent.givenOn');
    if (givenOn > now) throw new BadUserInput('input.guardianConsent.givenOn', 'is in the future');
    if (givenOn < birthDate) throw new BadUserInput('input.guardianConsent.givenOn', 'is before the birth date');
    guardianConsent = {
      guardianName: parseText(input.guardianConsent.guardianName, 'input.guardianConsent.guardianName', { max: 200 }),
      relationship: parseText(input.guardianConsent.relationship ?? 'PARENT', 'input.guardianConsent.relationship', {
        max: 50,
      }).toUpperCase(),
      givenOn,
      recordedBy,
    };
  } else if (age < GUARDIAN_CONSENT_BELOW) {
    throw new BadUserInput(
      'input.guardianConsent',
      `a volunteer under ${GUARDIAN_CONSENT_BELOW} needs a parent's or guardian's written consent`,
    );
  }
  return {
    iin,
    firstName: parseText(input.firstName, 'input.firstName', { max: 100, singleLine: true }),
    lastName: parseText(input.lastName, 'input.lastName', { max: 100, singleLine: true }),
    patronymic: parseOptionalText(input.patronymic, 'input.patronymic', 100),
    birthDate,
    sex: input.sex,
    regionCode: parseRegionCode(input.regionCode, 'input.regionCode'),
    skills: parseTextList(input.skills, 'input.skills', { maxItems: 50, maxLength: 100 }),
    languages: parseLanguages(input.languages, 'input.languages'),
    phone: parsePhone(input.phone, 'input.phone'),
    email: parseEmail(input.email, 'input.email'),
    guardianConsent,
    registeredBy,
    accountSubject,
  };
}

async function insertRegistered(
  db: Kysely<VolunteersDB>,
  context: VolunteersContext,
  fields: NewVolunteer,
  alsoInTransaction?: (trx: Kysely<VolunteersDB>, volunteer: Volunteer) => Promise<void>,
): Promise<Volunteer> {
  try {
    return await auditedTransaction(db, context, async (trx, audit) => {
      const volunteer = await insertVolunteer(trx, fields);
      await addRegionVolunteers(trx, volunteer.regionCode, 1);
      await audit({
        action: 'volunteer.register',
        entity: 'Volunteer',
        entityId: volunteer.id,
        // No personal data in the audit details: the row holds it, under its own access rules.
        details: {
          registeredBy: fields.registeredBy,
          regionCode: fields.regionCode,
          ageBand: ageBand(ageOn(fields.birthDate, today())),
          linkedAccount: !!fields.accountSubject,
        },
      });
      await alsoInTransaction?.(trx, volunteer);
      return volunteer;
    });
  } catch (error) {
    if (isUniqueViolation(error, 'volunteers_iin_unique')) {
      throw new Conflict('A volunteer with this IIN is already registered', { argumentName: 'input.iin' });
    }
    if (isUniqueViolation(error, 'volunteers_account_subject_unique')) {
      throw new Conflict('Your account is already linked to a volunteer record');
    }
    throw error;
  }
}

/** Front-office staff register volunteers of their own region; admins anywhere. */
export async function registerVolunteer(
  db: Kysely<VolunteersDB>,
  context: VolunteersContext,
  input: RegisterVolunteerInput,
): Promise<Volunteer> {
  const { viewer } = context;
  if (viewer.kind === 'public') throw new Unauthenticated();
  const regionCode = parseRegionCode(input.regionCode, 'input.regionCode');
  const allowed = hasRole(viewer, 'admin') || (hasRole(viewer, 'front_office') && viewer.regionCode === regionCode);
  if (!allowed) throw new Forbidden('Only front-office staff of the region, or an admin, may register a volunteer there');
  return insertRegistered(db, context, parseRegistration(input, 'FRONT_OFFICE', null, viewer.subject));
}

/** Self-registration attempts one account may make per calendar day (Kazakhstan's), counted in the database. */
export const SELF_REGISTRATION_ATTEMPTS_PER_DAY = 5;

/** The audit action of every self-registration attempt, accepted or refused. */
export const SELF_REGISTRATION_AUDIT_ACTION = 'volunteer.selfRegistration';

/**
 * The one answer to a self-registration whose identity does not check out: a
 * well-formed IIN that does not agree with the birth date or sex, or that is
 * someone else's. The same code (BAD_USER_INPUT), argument (`input`) and message
 * in every case, so that an account cannot tell a registered IIN from a
 * mistyped birth date; a front-office checks the document. An IIN that is not
 * well-formed (length, check digit) is refused precisely: it reveals nobody.
 */
export function selfRegistrationRefused(): BadUserInput {
  return new BadUserInput(
    'input',
    'these details cannot be accepted online; please visit a volunteer front-office with your identity document',
  );
}

/** A refusal that would tell something about an IIN becomes the generic one; others stay precise. */
function asSelfRegistrationAnswer(error: DomainError, iin: unknown): DomainError {
  if (
    (error.code === 'BAD_USER_INPUT' || error.code === 'CONFLICT') &&
    error.extensions.argumentName === 'input.iin' &&
    isWellFormedIin(iin)
  ) {
    return selfRegistrationRefused();
  }
  return error;
}

/**
 * Self-registration: the caller's account (`sub`) is linked to the new record,
 * so `me` and the caller's own actions find it until the identity provider
 * issues tokens with a volunteer_id claim. Under-14s are registered at a
 * front-office, which sees the guardian's written consent.
 *
 * Each attempt is counted (at most SELF_REGISTRATION_ATTEMPTS_PER_DAY per account
 * and day, then RATE_LIMITED) and audited, accepted or refused; the audit keeps
 * the real reason (never the IIN), the caller gets the generic refusal.
 */
export async function registerMe(db: Kysely<VolunteersDB>, context: VolunteersContext, input: RegisterVolunteerInput): Promise<Volunteer> {
  const { viewer, loaders } = context;
  if (viewer.kind === 'public' || !viewer.subject) throw new Unauthenticated('Sign in with an account to register yourself');
  if (!mayOwnVolunteerAccount(context)) throw new Forbidden('A partner or service account cannot register as a volunteer');
  if (viewer.volunteerId) throw new Conflict('Your account is already linked to a volunteer record');
  const subject = viewer.subject;
  const attempt = await countSelfRegistrationAttempt(db, subject, today());
  const audit = (trx: Kysely<VolunteersDB>, outcome: 'ACCEPTED' | 'REFUSED', details: Record<string, unknown> = {}) =>
    recordAudit(trx, context, {
      action: SELF_REGISTRATION_AUDIT_ACTION,
      entity: 'Account',
      entityId: subject,
      details: { outcome, attempt, ...details },
    });
  const refuse = async (error: unknown): Promise<never> => {
    if (error instanceof DomainError) {
      await audit(db, 'REFUSED', { code: error.code, argumentName: error.extensions.argumentName ?? null });
      throw asSelfRegistrationAnswer(error, input.iin);
    }
    throw error;
  };

  if (attempt > SELF_REGISTRATION_ATTEMPTS_PER_DAY) {
    return refuse(
      new DomainError(
        'RATE_LIMITED',
        `At most ${SELF_REGISTRATION_ATTEMPTS_PER_DAY} self-registration attempts a day; try again tomorrow or visit a volunteer front-office`,
        {
          limit: SELF_REGISTRATION_ATTEMPTS_PER_DAY,
        },
      ),
    );
  }
  let fields: NewVolunteer;
  try {
    if (ageOn(parseDay(input.birthDate, 'input.birthDate'), today()) < GUARDIAN_CONSENT_BELOW) {
      throw new BadUserInput(
        'input.birthDate',
        `a volunteer under ${GUARDIAN_CONSENT_BELOW} is registered at a front-office, with a parent's or guardian's written consent`,
      );
    }
    fields = parseRegistration(input, 'SELF', subject, null);
    if (await loaders.volunteerBySubject.load(subject)) throw new Conflict('Your account is already linked to a volunteer record');
  } catch (error) {
    return refuse(error);
  }
  try {
    return await insertRegistered(db, context, fields, (trx, volunteer) => audit(trx, 'ACCEPTED', { volunteerId: volunteer.id }));
  } catch (error) {
    return refuse(error);
  }
}

export interface UpdateVolunteerInput {
  phone?: string | null;
  email?: string | null;
  skills?: string[] | null;
  languages?: string[] | null;
  regionCode?: string | null;
}

/** The volunteer, front-office staff of their region, or an admin. */
export async function updateVolunteer(
  db: Kysely<VolunteersDB>,
  context: VolunteersContext,
  idArg: string,
  input: UpdateVolunteerInput,
): Promise<Volunteer> {
  const id = parseId(idArg, 'id');
  const { viewer } = context;
  if (viewer.kind === 'public') throw new Unauthenticated();
  const current = await context.loaders.volunteerById.load(id);
  if (!current) throw new NotFound('Volunteer', id);
  const allowed =
    hasRole(viewer, 'admin') || isSelf(context, current) || (hasRole(viewer, 'front_office') && viewer.regionCode === current.regionCode);
  if (!allowed) throw new Forbidden('Only the volunteer, front-office staff of their region, or an admin may change their record');
  const changes: VolunteerChanges = {};
  if (input.phone !== undefined) changes.phone = parsePhone(input.phone, 'input.phone');
  if (input.email !== undefined) changes.email = parseEmail(input.email, 'input.email');
  if (input.skills !== undefined && input.skills !== null)
    changes.skills = parseTextList(input.skills, 'input.skills', { maxItems: 50, maxLength: 100 });
  if (input.languages !== undefined && input.languages !== null) changes.languages = parseLanguages(input.languages, 'input.languages');
  if (input.regionCode !== undefined && input.regionCode !== null)
    changes.regionCode = parseRegionCode(input.regionCode, 'input.regionCode');
  if (Object.keys(changes).length === 0) throw new BadUserInput('input', 'nothing to change');
  return auditedTransaction(db, context, async (trx, audit) => {
    const locked = await lockVolunteer(trx, id);
    if (!locked) throw new NotFound('Volunteer', id);
    const updated = await updateVolunteerRow(trx, id, changes);
    if (updated.regionCode !== locked.regionCode) {
      await addRegionVolunteers(trx, locked.regionCode, -1);
      await addRegionVolunteers(trx, updated.regionCode, 1);
    }
    await audit({
      action: 'volunteer.update',
      entity: 'Volunteer',
      entityId: id,
      details: {
        fields: Object.keys(changes),
        ...(changes.regionCode ? { fromRegion: locked.regionCode, toRegion: changes.regionCode } : {}),
      },
    });
    return updated;
  });
}
