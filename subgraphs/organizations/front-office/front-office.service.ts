import type { Kysely } from 'kysely';
import {
  BadUserInput,
  Conflict,
  isUniqueViolation,
  NotFound,
  parseDay,
  parseEmail,
  parseGeoPoint,
  parseId,
  parseOptionalText,
  parsePhone,
  parseInteger,
  parseRegionCode,
  parseText,
  auditedTransaction,
  today,
  type RequestContext,
} from '../../kit/index.ts';
import { assertStaffOf, requireRole } from '../access.ts';
import type { OrganizationsDB } from '../migrations/tables.ts';
import {
  findCapacitySnapshot,
  findFrontOfficesByRegion,
  findNationalFrontOffice,
  insertCapacitySnapshot,
  insertFrontOffice,
  insertTraining,
  lockFrontOffice,
  setCurrentCapacity,
  updateDirectory,
  type Capacity,
  type FrontOfficeDirectory,
  type CapacitySnapshot,
  type FrontOffice,
  type Training,
} from './front-office.repository.ts';

/** A past or present day: what a front-office records has happened already. */
function parsePastDay(value: unknown, argument: string): string {
  const day = parseDay(value, argument);
  if (day > today()) throw new BadUserInput(argument, `${day} is in the future`);
  return day;
}

const MAX_COUNT = 100_000;

function parseCapacity(
  input: { staff?: number | null; trainers?: number | null; equipmentItems?: number | null },
  prefix: string,
): Capacity {
  return {
    staff: parseInteger(input.staff ?? 0, `${prefix}staff`, 0, MAX_COUNT),
    trainers: parseInteger(input.trainers ?? 0, `${prefix}trainers`, 0, MAX_COUNT),
    equipmentItems: parseInteger(input.equipmentItems ?? 0, `${prefix}equipmentItems`, 0, MAX_COUNT),
  };
}

export interface OpenFrontOfficeInput {
  /** Omitted or null: the national front-office. */
  regionCode?: string | null;
  name: string;
  openedOn?: string | null;
  staff?: number | null;
  trainers?: number | null;
  equipmentItems?: number | null;
}

/** Opens the front-office of a region that has none (or the national one): admins only. */
export async function openFrontOffice(
  db: Kysely<OrganizationsDB>,
  context: RequestContext,
  input: OpenFrontOfficeInput,
): Promise<FrontOffice> {
  requireRole(context.viewer, ['admin'], 'Only an admin may open a front-office');
  const regionCode =
    input.regionCode === null || input.regionCode === undefined ? null : parseRegionCode(input.regionCode, 'input.regionCode');
  const name = parseText(input.name, 'input.name', { max: 300 });
  const openedOn = input.openedOn === null || input.openedOn === undefined ? today() : parsePastDay(input.openedOn, 'input.openedOn');
  const capacity = parseCapacity(input, 'input.');
  const taken = () =>
    new Conflict(regionCode ? `Region ${regionCode} already has a front-office` : 'The national front-office already exists', {
      argumentName: 'input.regionCode',
    });
  try {
    return await auditedTransaction(db, context, async (trx, audit) => {
      const existing = regionCode ? (await findFrontOfficesByRegion(trx, [regionCode]))[0] : await findNationalFrontOffice(trx);
      if (existing) throw taken();
      const frontOffice = await insertFrontOffice(trx, { name, regionCode, openedOn, ...capacity });
      await audit({
        action: 'frontOffice.open',
        entity: 'FrontOffice',
        entityId: frontOffice.id,
        details: { regionCode, name, openedOn, ...capacity },
      });
      return frontOffice;
    });
  } catch (error) {
    // Two admins opening the same region's office at once: the unique index lets one through.
    if (isUniqueViolation(error)) throw taken();
    throw error;
  }
}

/** Locks the office and checks the caller is its staff (or an admin). */
async function lockForStaff(trx: Kysely<OrganizationsDB>, context: RequestContext, id: string): Promise<FrontOffice> {
  const frontOffice = await lockFrontOffice(trx, id);
  if (!frontOffice) throw new NotFound('FrontOffice', id);
  assertStaffOf(context.viewer, frontOffice);
  return frontOffice;
}

const STAFF = 'Only staff of the front-office, or an admin, may record its capacity and trainings';

/**
 * Appends a dated snapshot of capacity to the office's history (one per day).
 * The latest snapshot is the office's current capacity; a back-dated one only
 * fills in the history.
 */
export async function recordFrontOfficeCapacity(
  db: Kysely<OrganizationsDB>,
  context: RequestContext,
  args: { frontOfficeId: string; asOf?: string | null; staff: number; trainers: number; equipmentItems: number },
): Promise<CapacitySnapshot> {
  requireRole(context.viewer, ['front_office', 'admin'], STAFF);
  const frontOfficeId = parseId(args.frontOfficeId, 'frontOfficeId');
  const asOf = args.asOf === null || args.asOf === undefined ? today() : parsePastDay(args.asOf, 'asOf');
  const capacity = parseCapacity(args, '');
  const duplicate = () => new Conflict(`Capacity of this front-office on ${asOf} is already recorded`, { argumentName: 'asOf' });
  try {
    return await auditedTransaction(db, context, async (trx, audit) => {
      const frontOffice = await lockForStaff(trx, context, frontOfficeId);
      if (asOf < frontOffice.openedOn) throw new BadUserInput('asOf', `before the front-office opened (${frontOffice.openedOn})`);
      if (await findCapacitySnapshot(trx, frontOfficeId, asOf)) throw duplicate();
      const snapshot = await insertCapacitySnapshot(trx, { frontOfficeId, asOf, ...capacity });
      const current = asOf >= frontOffice.capacityAsOf;
      if (current) await setCurrentCapacity(trx, snapshot);
      await audit({
        action: 'frontOffice.recordCapacity',
        entity: 'FrontOffice',
        entityId: frontOfficeId,
        details: { asOf, ...capacity, current },
      });
      return snapshot;
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw duplicate();
    throw error;
  }
}

export async function recordTraining(
  db: Kysely<OrganizationsDB>,
  context: RequestContext,
  args: { frontOfficeId: string; date: string; topic: string; peopleTrained: number },
): Promise<Training> {
  requireRole(context.viewer, ['front_office', 'admin'], STAFF);
  const frontOfficeId = parseId(args.frontOfficeId, 'frontOfficeId');
  const heldOn = parsePastDay(args.date, 'date');
  const topic = parseText(args.topic, 'topic', { max: 300 });
  const peopleTrained = parseInteger(args.peopleTrained, 'peopleTrained', 1, MAX_COUNT);
  return auditedTransaction(db, context, async (trx, audit) => {
    const frontOffice = await lockForStaff(trx, context, frontOfficeId);
    if (heldOn < frontOffice.openedOn) throw new BadUserInput('date', `before the front-office opened (${frontOffice.openedOn})`);
    const training = await insertTraining(trx, { frontOfficeId, heldOn, topic, peopleTrained });
    await audit({
      action: 'frontOffice.recordTraining',
      entity: 'FrontOffice',
      entityId: frontOfficeId,
      details: { trainingId: training.id, heldOn, topic, peopleTrained },
    });
    return training;
  });
}

export interface FrontOfficeDirectoryInput {
  address?: string | null;
  phone?: string | null;
  email?: string | null;
  openingHours?: string | null;
  location?: { latitude: number; longitude: number } | null;
}

export function parseDirectory(input: FrontOfficeDirectoryInput, prefix: string): FrontOfficeDirectory {
  const location = input.location ? parseGeoPoint(input.location, `${prefix}location`) : null;
  return {
    address: parseOptionalText(input.address, `${prefix}address`, 500),
    phone: parsePhone(input.phone, `${prefix}phone`),
    email: parseEmail(input.email, `${prefix}email`),
    openingHours: parseOptionalText(input.openingHours, `${prefix}openingHours`, 300),
    latitude: location?.latitude ?? null,
    longitude: location?.longitude ?? null,
  };
}

/** Replaces the directory entry of a front-office: staff of that office, or an admin; audited (which fields changed). */
export async function updateFrontOfficeDirectory(
  db: Kysely<OrganizationsDB>,
  context: RequestContext,
  args: { id: string; input: FrontOfficeDirectoryInput },
): Promise<FrontOffice> {
  requireRole(context.viewer, ['front_office', 'admin'], 'Only staff of the front-office, or an admin, may change its directory entry');
  const id = parseId(args.id, 'id');
  const directory = parseDirectory(args.input, 'input.');
  return auditedTransaction(db, context, async (trx, audit) => {
    const before = await lockForStaff(trx, context, id);
    const changed = (Object.keys(directory) as (keyof FrontOfficeDirectory)[]).filter((key) => before.directory[key] !== directory[key]);
    const frontOffice = await updateDirectory(trx, id, directory);
    await audit({ action: 'frontOffice.updateDirectory', entity: 'FrontOffice', entityId: id, details: { changed } });
    return frontOffice;
  });
}
