import type { Kysely } from 'kysely';
import {
  BadUserInput,
  Conflict,
  Forbidden,
  hasRole,
  isUniqueViolation,
  NotFound,
  parseDay,
  parseId,
  parseIin,
  parseOptionalText,
  parseRegionCode,
  parseText,
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
      relationship: parseText(input.guardianConsent.relationship ?? 'PARENT', 'input.guardianConsent.relationship', { max: 50 }).toUpperCase(),
      givenOn,
      recordedBy,
    };
  } else if (age < GUARDIAN_CONSENT_BELOW) {
    throw new BadUserInput('input.guardianConsent', `a volunteer under ${GUARDIAN_CONSENT_BELOW} needs a parent's or guardian's written consent`);
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

async function insertRegistered(db: Kysely<VolunteersDB>, context: VolunteersContext, fields: NewVolunteer): Promise<Volunteer> {
  try {
    return await db.transaction().execute(async (trx) => {
      const volunteer = await insertVolunteer(trx, fields);
      await addRegionVolunteers(trx, volunteer.regionCode, 1);
      await recordAudit(trx, context, {
        action: 'volunteer.register',
        entity: 'Volunteer',
        entityId: volunteer.id,
        // No personal data in the audit details: the row holds it, under its own access rules.
        details: { registeredBy: fields.registeredBy, regionCode: fields.regionCode, ageBand: ageBand(ageOn(fields.birthDate, today())), linkedAccount: !!fields.accountSubject },
      });
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
export async function registerVolunteer(db: Kysely<VolunteersDB>, context: VolunteersContext, input: RegisterVolunteerInput): Promise<Volunteer> {
  const { viewer } = context;
  if (viewer.kind === 'public') throw new Unauthenticated();
  const regionCode = parseRegionCode(input.regionCode, 'input.regionCode');
  const allowed = hasRole(viewer, 'admin') || (hasRole(viewer, 'front_office') && viewer.regionCode === regionCode);
  if (!allowed) throw new Forbidden('Only front-office staff of the region, or an admin, may register a volunteer there');
  return insertRegistered(db, context, parseRegistration(input, 'FRONT_OFFICE', null, viewer.subject));
}

/**
 * Self-registration: the caller's account (`sub`) is linked to the new record,
 * so `me` and the caller's own actions find it until the identity provider
 * issues tokens with a volunteer_id claim. Under-14s are registered at a
 * front-office, which sees the guardian's written consent.
 */
export async function registerMe(db: Kysely<VolunteersDB>, context: VolunteersContext, input: RegisterVolunteerInput): Promise<Volunteer> {
  const { viewer, loaders } = context;
  if (viewer.kind === 'public' || !viewer.subject) throw new Unauthenticated('Sign in with an account to register yourself');
  if (!mayOwnVolunteerAccount(context)) throw new Forbidden('A partner or service account cannot register as a volunteer');
  if (viewer.volunteerId) throw new Conflict('Your account is already linked to a volunteer record');
  if (ageOn(parseDay(input.birthDate, 'input.birthDate'), today()) < GUARDIAN_CONSENT_BELOW) {
    throw new BadUserInput('input.birthDate', `a volunteer under ${GUARDIAN_CONSENT_BELOW} is registered at a front-office, with a parent's or guardian's written consent`);
  }
  const fields = parseRegistration(input, 'SELF', viewer.subject, null);
  if (await loaders.volunteerBySubject.load(viewer.subject)) throw new Conflict('Your account is already linked to a volunteer record');
  return insertRegistered(db, context, fields);
}

export interface UpdateVolunteerInput {
  phone?: string | null;
  email?: string | null;
  skills?: string[] | null;
  languages?: string[] | null;
  regionCode?: string | null;
}

/** The volunteer, front-office staff of their region, or an admin. */
export async function updateVolunteer(db: Kysely<VolunteersDB>, context: VolunteersContext, idArg: string, input: UpdateVolunteerInput): Promise<Volunteer> {
  const id = parseId(idArg, 'id');
  const { viewer } = context;
  if (viewer.kind === 'public') throw new Unauthenticated();
  const current = await context.loaders.volunteerById.load(id);
  if (!current) throw new NotFound('Volunteer', id);
  const allowed = hasRole(viewer, 'admin') || isSelf(context, current) || (hasRole(viewer, 'front_office') && viewer.regionCode === current.regionCode);
  if (!allowed) throw new Forbidden('Only the volunteer, front-office staff of their region, or an admin may change their record');
  const changes: VolunteerChanges = {};
  if (input.phone !== undefined) changes.phone = parsePhone(input.phone, 'input.phone');
  if (input.email !== undefined) changes.email = parseEmail(input.email, 'input.email');
  if (input.skills !== undefined && input.skills !== null) changes.skills = parseTextList(input.skills, 'input.skills', { maxItems: 50, maxLength: 100 });
  if (input.languages !== undefined && input.languages !== null) changes.languages = parseLanguages(input.languages, 'input.languages');
  if (input.regionCode !== undefined && input.regionCode !== null) changes.regionCode = parseRegionCode(input.regionCode, 'input.regionCode');
  if (Object.keys(changes).length === 0) throw new BadUserInput('input', 'nothing to change');
  return db.transaction().execute(async (trx) => {
    const locked = await lockVolunteer(trx, id);
    if (!locked) throw new NotFound('Volunteer', id);
    const updated = await updateVolunteerRow(trx, id, changes);
    if (updated.regionCode !== locked.regionCode) {
      await addRegionVolunteers(trx, locked.regionCode, -1);
      await addRegionVolunteers(trx, updated.regionCode, 1);
    }
    await recordAudit(trx, context, {
      action: 'volunteer.update',
      entity: 'Volunteer',
      entityId: id,
      details: { fields: Object.keys(changes), ...(changes.regionCode ? { fromRegion: locked.regionCode, toRegion: changes.regionCode } : {}) },
    });
    return updated;
  });
}
