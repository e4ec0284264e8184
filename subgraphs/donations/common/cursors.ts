import { cursorCodec } from '../../kit/index.ts';

/** The cursor of each list of this subgraph: its name and the kinds of its keyset (kit pagination). */
export const campaignCursors = cursorCodec('campaigns', ['day', 'id']);
export const donorCursors = cursorCodec('donors', ['timestamp', 'id']);
export const donationCursors = cursorCodec('donations', ['day', 'id']);
export const grantCursors = cursorCodec('grants', ['day', 'id']);
export const grantProgrammeCursors = cursorCodec('grantProgrammes', ['day', 'id']);
export const grantApplicationCursors = cursorCodec('grantApplications', ['timestamp', 'id']);
export const grantReportCursors = cursorCodec('grantReports', ['day', 'id']);
export const exchangeRateCursors = cursorCodec('exchangeRates', ['day', 'currency']);

export type DayIdKey = readonly [string, string];
export type TimestampIdKey = readonly [string, string];
