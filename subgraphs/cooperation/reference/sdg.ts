import { BadUserInput } from '../../kit/index.ts';

/**
 * The 169 targets of the 17 Sustainable Development Goals (UN A/RES/70/1):
 * per goal, how many numbered targets (1.1 … 1.5) and how many lettered
 * means-of-implementation targets (1.a, 1.b) it has.
 */
const SDG_TARGETS: Readonly<Record<number, { numbered: number; lettered: number }>> = {
  1: { numbered: 5, lettered: 2 },
  2: { numbered: 5, lettered: 3 },
  3: { numbered: 9, lettered: 4 },
  4: { numbered: 7, lettered: 3 },
  5: { numbered: 6, lettered: 3 },
  6: { numbered: 6, lettered: 2 },
  7: { numbered: 3, lettered: 2 },
  8: { numbered: 10, lettered: 2 },
  9: { numbered: 5, lettered: 3 },
  10: { numbered: 7, lettered: 3 },
  11: { numbered: 7, lettered: 3 },
  12: { numbered: 8, lettered: 3 },
  13: { numbered: 3, lettered: 2 },
  14: { numbered: 7, lettered: 3 },
  15: { numbered: 9, lettered: 3 },
  16: { numbered: 10, lettered: 2 },
  17: { numbered: 19, lettered: 0 },
};

const TARGET = /^(\d{1,2})\.(\d{1,2}|[a-z])$/;

export function isSdgTarget(value: unknown): value is string {
  const m = typeof value === 'string' ? TARGET.exec(value) : null;
  if (!m) return false;
  const goal = SDG_TARGETS[Number(m[1])];
  const target = m[2] as string;
  if (!goal || m[1]!.startsWith('0')) return false;
  if (/^\d+$/.test(target)) return !target.startsWith('0') && Number(target) <= goal.numbered;
  return target.charCodeAt(0) - 'a'.charCodeAt(0) < goal.lettered;
}

/** The goal (1–17) a target belongs to. */
export function sdgGoalOf(target: string): number {
  return Number(target.split('.')[0]);
}

/** SDG targets such as "4.7" or "16.a"; each checked against the official list, duplicates dropped. */
export function parseSdgTargets(values: readonly unknown[] | null | undefined, argument: string, max = 30): string[] {
  const list = values ?? [];
  if (list.length > max) throw new BadUserInput(argument, `at most ${max} SDG targets`);
  return [
    ...new Set(
      list.map((v, i) => {
        const target = typeof v === 'string' ? v.trim().toLowerCase() : v;
        if (!isSdgTarget(target)) {
          throw new BadUserInput(
            `${argument}[${i}]`,
            `${JSON.stringify(v)} is not an SDG target (goals 1–17, targets such as "4.7" or "16.a")`,
          );
        }
        return target;
      }),
    ),
  ];
}
