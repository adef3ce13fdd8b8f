/** Why sending a signed vault payment failed, in words, from the marks each failure leaves in the error chain. */
import { describe, expect, it } from 'vitest';
import { BaseError, encodeErrorResult, toFunctionSelector } from 'viem';
import { CairnError } from '../../../src/core/errors.ts';
import { submissionFailureText } from '../../../src/app/services/submissionFailure.ts';

const callFailed = (inner: `0x${string}`) =>
  encodeErrorResult({ abi: [{ type: 'error', name: 'CallFailed', inputs: [{ name: 'returnData', type: 'bytes' }] }], errorName: 'CallFailed', args: [inner] });

describe('submissionFailureText', () => {
  it('a token transfer above the balance, reverted on chain or in the bundler’s simulation', () => {
    const revert = callFailed(toFunctionSelector('InsufficientBalance()'));
    const onChain = new CairnError('ABORTED', 'The vault’s user operation ran but its call failed.', { details: [`reason: ${revert}`] });
    const simulated = new BaseError('Execution reverted', { cause: new BaseError(`UserOperation reverted during simulation with reason: ${revert}`) });
    for (const err of [onChain, simulated])
      expect(submissionFailureText(err)).toMatch(/^the token contract refused the transfer because the vault no longer holds/);
  });

  it('the fee, a used nonce, an expired signature, a plain revert, an unreachable or refusing bundler', () => {
    expect(submissionFailureText(new BaseError("AA21 didn't pay prefund"))).toMatch(/enough ETH to pay the network fee/);
    expect(submissionFailureText(new BaseError('AA25 invalid account nonce'))).toMatch(/went through first/);
    expect(submissionFailureText(new BaseError('AA22 expired or not due'))).toMatch(/signature expired/);
    expect(submissionFailureText(new CairnError('ABORTED', 'call failed', { details: ['reason: 0x'] }))).toMatch(/the call reverted/);
    expect(submissionFailureText(new TypeError('Failed to fetch'))).toMatch(/couldn't be reached/);
    expect(submissionFailureText(new BaseError('Invalid UserOperation: maxFeePerGas too low'))).toMatch(/bundler\) refused it/);
  });

  it('a plain-address transaction: the plain address pays, the RPC sends (no bundler)', () => {
    expect(submissionFailureText(new BaseError('insufficient funds for gas * price + value'), 'plain address')).toBe(
      "the plain address doesn't hold enough ETH to pay the network fee. Add ETH to the plain address, then retry.",
    );
    expect(submissionFailureText(new BaseError('nonce too low'), 'plain address')).toMatch(/^another payment from the plain address went through first/);
    expect(submissionFailureText(new CairnError('ABORTED', 'The transaction reverted on chain.'), 'plain address')).toMatch(/the call reverted/);
    expect(submissionFailureText(new TypeError('Failed to fetch'), 'plain address')).toMatch(/RPC URL/);
    expect(submissionFailureText(new Error('x'), 'plain address')).not.toMatch(/bundler/);
  });

  it('never names a protocol in what it says', () => {
    const texts = [new BaseError('AA21'), new BaseError('AA25 invalid account nonce'), new Error('x')].map((e) => submissionFailureText(e));
    for (const t of texts) expect(t).not.toMatch(/nonce|AA\d\d|user ?operation/i);
  });
});
