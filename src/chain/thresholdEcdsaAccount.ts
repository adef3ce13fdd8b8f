/**
 * A viem LocalAccount whose key is the guardians' DKLs23 threshold ECDSA key: the group key's Ethereum address is
 * an ordinary EOA. Every signing path hashes locally (keccak256 of the serialized tx, EIP-191, EIP-712, EIP-7702) and hands
 * only the 32-byte digest to the threshold signer; the result is normalised to low-s (EIP-2) with yParity fixed.
 */
import { secp256k1 } from '@noble/curves/secp256k1.js';
import {
  bytesToHex,
  getAddress,
  hashMessage,
  hashTypedData,
  hexToBytes,
  keccak256,
  numberToHex,
  recoverAddress,
  serializeSignature,
  serializeTransaction,
  type Hex,
  type LocalAccount,
  type Signature,
} from 'viem';
import { publicKeyToAddress, toAccount } from 'viem/accounts';
import { hashAuthorization } from 'viem/utils';

/** The threshold signer seam: the protocol layer plugs in the networked DKLs23 ceremony. */
export type EcdsaDigestSigner = {
  /** Group public key, compressed (33 bytes) or uncompressed (65 bytes). */
  publicKey: Uint8Array;
  /** Signs exactly a 32-byte digest (no hashing inside). */
  signDigest: (digest: Uint8Array) => Promise<{ r: bigint; s: bigint; yParity: 0 | 1 }>;
};

export type ThresholdEcdsaAccountParameters = { signer: EcdsaDigestSigner };
export type ThresholdEcdsaAccountReturnType = LocalAccount<'threshold-ecdsa'>;

const N = secp256k1.Point.Fn.ORDER;

/**
 * @example
 * const account = thresholdEcdsaAccount({ signer: { publicKey, signDigest } });
 * await walletClient.sendTransaction({ account, to, value });
 */
export function thresholdEcdsaAccount({ signer }: ThresholdEcdsaAccountParameters): ThresholdEcdsaAccountReturnType {
  const uncompressed = secp256k1.Point.fromBytes(signer.publicKey).toBytes(false);
  const publicKey = bytesToHex(uncompressed);
  const address = publicKeyToAddress(publicKey);

  async function signHash(hash: Hex): Promise<Signature> {
    const digest = hexToBytes(hash);
    if (digest.length !== 32) throw new Error('threshold ECDSA signs 32-byte digests only');
    let { r, s, yParity } = await signer.signDigest(digest);
    if (r <= 0n || r >= N || s <= 0n || s >= N) throw new Error('threshold signer returned an out-of-range signature');
    if (s > N >> 1n) {
      s = N - s; // EIP-2 low-s; negating s flips the recovery id
      yParity = (yParity ^ 1) as 0 | 1;
    }
    // v (27/28) as viem's own signer returns it: the legacy serializer derives EIP-155 v from it.
    const sig: Signature = { r: numberToHex(r, { size: 32 }), s: numberToHex(s, { size: 32 }), v: yParity ? 28n : 27n, yParity };
    // Defence in depth: never hand out a signature that does not recover to the group address.
    if (getAddress(await recoverAddress({ hash, signature: sig })) !== address) throw new Error('threshold signature does not recover to the group address');
    return sig;
  }

  const account = toAccount({
    address,
    async sign({ hash }) {
      return serializeSignature(await signHash(hash));
    },
    async signMessage({ message }) {
      return serializeSignature(await signHash(hashMessage(message)));
    },
    async signTypedData(typedData) {
      return serializeSignature(await signHash(hashTypedData(typedData as Parameters<typeof hashTypedData>[0])));
    },
    async signAuthorization(request) {
      // EIP-7702: keccak256(0x05 ‖ rlp([chainId, address, nonce]))
      const contract = request.contractAddress ?? request.address;
      const { chainId, nonce } = request;
      const signature = await signHash(hashAuthorization({ address: contract, chainId, nonce }));
      return { address: contract, chainId, nonce, ...signature };
    },
    async signTransaction(transaction, options) {
      const serializer = options?.serializer ?? serializeTransaction;
      const signable = transaction.type === 'eip4844' ? { ...transaction, sidecars: false } : transaction;
      const signature = await signHash(keccak256(await serializer(signable)));
      return serializer(transaction, signature);
    },
  });
  return { ...account, publicKey, source: 'threshold-ecdsa' } as ThresholdEcdsaAccountReturnType;
}
