/**
 * Enrollment, for the holders already in the roster (helpers or not): their shares don't change,
 * only the public package does (one more holder, epoch + 1). Each stages it and confirms it like
 * any other new epoch, so nobody promotes until the enrolled device and every holder agree.
 */
import { CairnError } from '../errors.ts';
import type { KeyPackage } from '../keyPackage.ts';
import { assertSamePublic } from './lifecycleSession.ts';
import { enrolledPublicPackage, repairContext, type RepairParams } from './repairParams.ts';
import { makeStagedEpoch, type StagedEpoch } from './stagedEpoch.ts';

export function stageEnrollment(params: RepairParams, current: KeyPackage): { staged: StagedEpoch } {
  const ctx = repairContext(params);
  if (ctx.mode !== 'enroll') throw new CairnError('BAD_PARAMETERS', 'Only an enrollment changes the public package');
  assertSamePublic(current.public, ctx.pub);
  const key: KeyPackage = { identifier: current.identifier, signingShare: current.signingShare.slice(), public: enrolledPublicPackage(ctx) };
  return { staged: makeStagedEpoch({ protocol: 'enroll', session: ctx.session, key, previous: ctx.pub, echo: [] }) };
}
