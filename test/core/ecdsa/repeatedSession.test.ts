/**
 * Attack: an honest signer answers round 2 twice under one session id (a second tab, a reload, a claim that failed).
 * The malicious counterparty (Bob of the VOLE instance) repeats its round-1 OT-extension nonce with every choice bit
 * β flipped. If the honest Alice's masks depended only on Bob's choices, her OT rows would swap roles
 * (Q′_j = Q_j ⊕ Δ), the masks would cancel in ã⁽¹⁾ + ã⁽²⁾, and the key-share column would sum to 2·sk_i — which,
 * in a 2-party signature where Bob knows ζ_i, is Alice's Shamir share. This test recomputes that attack against the
 * core and requires that the sum gives nothing: it must not reproduce sk_i (checked against Alice's pk_i).
 */
import { randomBytes } from '@noble/hashes/utils.js';
import { expect, it } from 'vitest';
import { ecdsaSignRound1, ecdsaSignRound2, type SignRound1Message } from '../../../src/core/ecdsa/index.ts';
import { bytesToBig32, mod, mulG, N } from '../../../src/core/ecdsa/encoding.ts';
import { oteExtend } from '../../../src/core/ecdsa/otExtension.ts';
import { COLS } from '../../../src/core/ecdsa/params.ts';
import { dkgKeys } from '../../helpers/dkgKeys.ts';
import { cachedSetups } from './setupCache.ts';

const { ids, keys } = dkgKeys(2, 3);
const [A, B] = [ids[0]!, ids[1]!];
const signers = [A, B];

it("a second round-2 answer under one session id, with Bob's OTE nonce reused and β flipped, leaks no share", () => {
  const setups = cachedSetups(ids);
  const digest = randomBytes(32);
  const sessionId = randomBytes(32);
  const run = (bobMessage?: (honest: SignRound1Message) => SignRound1Message) => {
    const alice = ecdsaSignRound1({ key: keys[A]!, setups: setups[A]!, signers, digest, sessionId });
    const bob = ecdsaSignRound1({ key: keys[B]!, setups: setups[B]!, signers, digest, sessionId });
    const toAlice = bobMessage ? bobMessage(bob.outgoing[A]!) : bob.outgoing[A]!;
    const answer = ecdsaSignRound2(alice.state, { [B]: toAlice }).outgoing[B]!;
    return { bob, answer };
  };

  // First attempt: Bob behaves, and keeps his instance (sid, β) for the repeat.
  const first = run();
  const bobInstance = first.bob.state.bob.get(A)!;
  const nonce = first.bob.outgoing[A]!.oteNonce;
  const flipped = bobInstance.beta.map((b) => b ^ 0xff);

  // Second attempt, same session id: Bob replays his nonce and extends with ¬β under the same sid (consistent, so
  // Alice's OT-extension check passes).
  const second = run((honest) => ({
    ...honest,
    oteNonce: nonce,
    ote: oteExtend(setups[B]![A]!.asReceiver, bobInstance.sid, flipped, randomBytes).message,
  }));

  const pkAlice = first.answer.pk; // Alice's re-randomised key share sk_i·G (the same in both attempts)
  expect(second.answer.pk).toEqual(pkAlice);
  const a1 = first.answer.vole.aTilde;
  const a2 = second.answer.vole.aTilde;
  const inv2 = (N + 1n) / 2n;
  let recovered = 0;
  for (let j = 0; j < 8; j++) {
    const col = COLS * j + 1; // column 1 carries sk_i
    const sum = mod(bytesToBig32(a1, 32 * col) + bytesToBig32(a2, 32 * col));
    const guess = mod(sum * inv2);
    if (
      guess !== 0n &&
      mulG(guess)
        .toBytes(true)
        .every((x, i) => x === pkAlice[i])
    )
      recovered++;
  }
  expect(recovered).toBe(0);
}, 120_000);
