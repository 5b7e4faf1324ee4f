/**
 * Why a target of issue 13 or 14 is missed, as the profiles and counts of bench/results show it:
 * the reason column of the targets table, filled in only for a target the run missed. Each reason
 * names the file that holds its evidence. A target missed without a reason here says so in the table,
 * so a new miss cannot pass for an explained one.
 */

/** Reasons by the start of the target's text (the first that matches wins). */
const REASONS: [prefix: string, reason: string][] = []

/** The reason recorded for a missed target, or a note that there is none yet. */
export function reasonFor(target: string): string {
  const found = REASONS.find(([prefix]) => target.startsWith(prefix))
  return found ? found[1] : '**no profile-backed reason recorded** (bench/lib/miss-reasons.ts)'
}
