// Lägesbild — who may do what, as the pages need it: the server's rules (protocol.md "Roles",
// include/lagesbild/core/permissions.h), so that a page offers nothing the server would refuse.
// The server judges every command anyway. Plain ES module, no DOM: tested under node.
//
//   admin     every write, live included; runs exercises, reads their scripts, the scenario editor
//   trainer   runs exercises, reads their scripts, the scenario editor; writes (reports, messages,
//             acknowledgements, decisions, transfers …) only in an exercise's space
//   reporter  writes for its own region
//   viewer    reads (as does a connection that has not signed in)

import {ROLE_LABELS} from './common.js';

/** An exercise's space by its name: `ovning-…`, or a dry run's `provkorning-…`. */
export function isExerciseSpace(space) {
  return /^(ovning|provkorning)-/.test(String(space || ''));
}

/** Runs exercises, reads their scripts and reviews, uses the scenario editor: admins and trainers. */
export function runsExercises(user) {
  return user?.role === 'admin' || user?.role === 'trainer';
}

/**
 * Acts for every region rather than one's own: sees every message, acknowledges for a region it
 * names, moves patients from any hospital. Admins and trainers (a trainer only writes in exercises:
 * see canWrite).
 */
export function actsForAllRegions(user) {
  return runsExercises(user);
}

/**
 * May `user` write for `region` (report, readiness, acknowledge, decide, transport, transfer) in a
 * space that is (`exercise` true) or is not an exercise? An admin always, a trainer only in an
 * exercise, a reporter for its own region.
 */
export function canWrite(user, {exercise = false, region = ''} = {}) {
  if (!user) return false;
  if (user.role === 'admin') return true;
  if (user.role === 'trainer') return !!exercise;
  return user.role === 'reporter' && !!region && user.region === region;
}

/** May `user` post a message in a space that is (`exercise`) or is not an exercise? */
export function canPost(user, {exercise = false} = {}) {
  if (!user) return false;
  if (user.role === 'admin') return true;
  if (user.role === 'trainer') return !!exercise;
  return user.role === 'reporter' && !!user.region;
}

/** "administratör", "övningsledare", … (the role's label in running text); "användare" if unknown. */
export function roleWord(role) {
  return (ROLE_LABELS[role] || 'användare').toLowerCase();
}

/**
 * Why the TiB page is read-only for `user` (null: not signed in) in a space that is or is not an
 * exercise, in Swedish.
 */
export function readOnlyText(user, {exercise = false} = {}) {
  if (!user) {
    return 'Du ser läget men kan inte rapportera. Logga in med din nyckel för att rapportera för din region.';
  }
  if (user.role === 'trainer' && !exercise) {
    return 'Du är inloggad som övningsledare: i skarpt läge ser du läget men kan inte rapportera – det kräver en ' +
      'administratör. I en övning rapporterar du för alla regioner.';
  }
  return `Du är inloggad som ${roleWord(user.role)} och kan se läget men inte rapportera.`;
}
