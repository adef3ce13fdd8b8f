/**
 * The guardians' DKLs23 key as a plain Ethereum EOA on a real anvil: fund the group address, send EIP-1559 and legacy
 * transfers signed by 2 of 3 through viem's walletClient.sendTransaction, and check EIP-191 / EIP-712 / raw-hash
 * signatures with viem's verifiers. Setup runs fresh here (real base OTs).
 */
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { randomBytes } from '@noble/hashes/utils.js';
import { createWalletClient, getAddress, http, keccak256, parseEther, recoverAddress, toHex, verifyMessage, verifyTypedData } from 'viem';
import { recoverAuthorizationAddress } from 'viem/utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { thresholdEcdsaAccount, type EcdsaDigestSigner } from '../../src/chain/thresholdEcdsaAccount.ts';
import { startAnvil, type AnvilNode } from '../helpers/anvil.ts';
import { dkgKeys } from '../helpers/dkgKeys.ts';
import { setupAll, signInProcess } from '../core/ecdsa/inProcess.ts';

const N = secp256k1.Point.Fn.ORDER;
const { ids, keys, groupKey } = dkgKeys(2, 3);
let setups: ReturnType<typeof setupAll>;
let calls = 0;
/** Guardians 0 and 1 sign (in-process stand-in for the networked ceremony). */
const signer: EcdsaDigestSigner = {
  publicKey: groupKey,
  async signDigest(digest) {
    calls++;
    const { r, s, yParity } = signInProcess({ keys, setups, signers: [ids[0]!, ids[1]!], digest });
    return { r, s, yParity };
  },
};
const account = thresholdEcdsaAccount({ signer });

let anvil: AnvilNode;
beforeAll(async () => {
  setups = setupAll([ids[0]!, ids[1]!], randomBytes(32));
  anvil = await startAnvil();
}, 180_000);
afterAll(async () => anvil?.stop());

describe('threshold ECDSA account on anvil', () => {
  it('address is keccak(group key) and signs only via the threshold signer', async () => {
    const pub = secp256k1.Point.fromBytes(groupKey).toBytes(false);
    expect(account.address).toBe(getAddress(`0x${keccak256(pub.subarray(1)).slice(-40)}`));
  });

  it('EIP-1559 and legacy transfers signed by 2 of 3 are mined; balances move', async () => {
    const funder = anvil.walletClient(0);
    const fundHash = await funder.sendTransaction({ to: account.address, value: parseEther('10') });
    await anvil.publicClient.waitForTransactionReceipt({ hash: fundHash });
    expect(await anvil.publicClient.getBalance({ address: account.address })).toBe(parseEther('10'));

    const wallet = createWalletClient({ account, chain: anvil.chain, transport: http(anvil.rpcUrl, { retryCount: 0 }) });
    const to = getAddress(toHex(randomBytes(20)));
    const before = calls;
    const hash = await wallet.sendTransaction({ to, value: parseEther('1.5') });
    const receipt = await anvil.publicClient.waitForTransactionReceipt({ hash });
    expect(receipt.status).toBe('success');
    expect(calls).toBe(before + 1);
    const tx = await anvil.publicClient.getTransaction({ hash });
    expect(tx.type).toBe('eip1559');
    expect(getAddress(tx.from)).toBe(account.address);
    expect(await anvil.publicClient.getBalance({ address: to })).toBe(parseEther('1.5'));

    const legacyHash = await wallet.sendTransaction({ to, value: parseEther('0.5'), type: 'legacy' });
    const legacy = await anvil.publicClient.waitForTransactionReceipt({ hash: legacyHash });
    expect(legacy.status).toBe('success');
    expect((await anvil.publicClient.getTransaction({ hash: legacyHash })).type).toBe('legacy');
    expect(await anvil.publicClient.getBalance({ address: to })).toBe(parseEther('2'));
    const left = await anvil.publicClient.getBalance({ address: account.address });
    const gas = receipt.gasUsed * receipt.effectiveGasPrice + legacy.gasUsed * legacy.effectiveGasPrice;
    expect(left).toBe(parseEther('10') - parseEther('2') - gas);
  }, 120_000);

  it('EIP-191, EIP-712 and EIP-7702 signatures verify with viem; sign({hash}) recovers the address', async () => {
    const message = 'Cairn guardians approve this message';
    const sig191 = await account.signMessage({ message });
    expect(await verifyMessage({ address: account.address, message, signature: sig191 })).toBe(true);
    expect(await verifyMessage({ address: account.address, message: 'other', signature: sig191 })).toBe(false);

    const typed = {
      domain: { name: 'Cairn', version: '1', chainId: anvil.chain.id, verifyingContract: '0x000000000000000000000000000000000000cafe' as const },
      types: {
        Approve: [
          { name: 'spender', type: 'address' },
          { name: 'amount', type: 'uint256' },
        ],
      },
      primaryType: 'Approve' as const,
      message: { spender: '0x000000000000000000000000000000000000beef' as const, amount: 42n },
    };
    const sig712 = await account.signTypedData(typed);
    expect(await verifyTypedData({ address: account.address, ...typed, signature: sig712 })).toBe(true);

    const authorization = await account.signAuthorization!({
      contractAddress: '0x000000000000000000000000000000000000c0de',
      chainId: anvil.chain.id,
      nonce: 7,
    });
    expect(getAddress(await recoverAuthorizationAddress({ authorization }))).toBe(account.address);

    const hash = keccak256(randomBytes(64));
    const raw = await account.sign!({ hash });
    expect(getAddress(await recoverAddress({ hash, signature: raw }))).toBe(account.address);
  }, 60_000);

  it('normalises a high-s answer from the signer to low-s with the flipped yParity', async () => {
    const flipped = thresholdEcdsaAccount({
      signer: {
        publicKey: groupKey,
        async signDigest(d) {
          const { r, s, yParity } = await signer.signDigest(d);
          return { r, s: N - s, yParity: (yParity ^ 1) as 0 | 1 };
        },
      },
    });
    const hash = keccak256(randomBytes(32));
    const sig = await flipped.sign!({ hash });
    expect(BigInt(`0x${sig.slice(66, 130)}`) <= N / 2n).toBe(true);
    expect(getAddress(await recoverAddress({ hash, signature: sig }))).toBe(account.address);
  }, 60_000);
});
