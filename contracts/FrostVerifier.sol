// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

/// @notice A FROST signature as the contracts take it: R as affine coordinates (no on-chain
/// decompression, which costs ~2.5-5k gas) and the scalar z. Off chain it is RFC 9591's 65-byte R||z.
struct FrostSignature {
    uint256 rx;
    uint256 ry;
    uint256 z;
}

/// @title RFC 9591 FROST(secp256k1, SHA-256) verification, exactly as the RFC specifies it.
/// @notice The challenge is RFC 9591 H2 = hash_to_field(R || PK || m) with expand_message_xmd(SHA-256)
/// and DST "FROST-secp256k1-SHA256-v1chal" (three SHA-256 precompile calls), so the RFC's own test
/// vector verifies here. The group equation z·G = R + c·PK is checked with the ecrecover trick:
/// ecrecover(h = -z·Px, v = 27 + parity(Py), r = Px, s = -c·Px) returns the address of
/// Px⁻¹·(s·PK − h·G) = z·G − c·PK, which must equal the address of R.
library FrostVerifier {
    /// secp256k1 group order n and field prime p.
    uint256 internal constant N = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141;
    uint256 internal constant P = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEFFFFFC2F;

    // expand_message_xmd tails, DST = "FROST-secp256k1-SHA256-v1chal" (29 bytes), DST' = DST || 0x1d.
    /// I2OSP(48, 2) || I2OSP(0, 1) || DST — the last byte of DST' (0x1d) is written separately.
    uint256 private constant B0_TAIL = 0x00300046524f53542d736563703235366b312d5348413235362d76316368616c;
    /// I2OSP(1, 1) || DST' (31 of the 32 bytes are hashed).
    uint256 private constant B1_TAIL = 0x0146524f53542d736563703235366b312d5348413235362d76316368616c1d00;
    /// I2OSP(2, 1) || DST'.
    uint256 private constant B2_TAIL = 0x0246524f53542d736563703235366b312d5348413235362d76316368616c1d00;

    /// Hashing buffer size: 130 (Z_pad, R, PK) + message + 64 (tail, padded) + 128 (b_i / ecrecover input);
    /// _SCRATCH_32 is the same for a 32-byte message.
    uint256 private constant _SCRATCH_0 = 322;
    uint256 private constant _SCRATCH_32 = 354;

    function isOnCurve(uint256 x, uint256 y) internal pure returns (bool) {
        return x < P && y < P && mulmod(y, y, P) == addmod(mulmod(mulmod(x, x, P), x, P), 7, P);
    }

    /// @notice A key the ecrecover trick can use: on the curve and 0 < Px < n (Px is passed as
    /// ecrecover's r). A DKG yields Px ≥ n with probability ~2⁻¹²⁸; such a key must be re-generated.
    function isValidGroupKey(uint256 px, uint256 py) internal pure returns (bool) {
        return px != 0 && px < N && isOnCurve(px, py);
    }

    /// @notice Verifies a signature over a 32-byte message (every Cairn digest is one).
    /// @dev The key must have passed `isValidGroupKey` when it was stored (the vault's constructor,
    /// the registry's `register`): re-checking an immutable key on every call would cost ~100 gas.
    function verifyDigest(uint256 px, uint256 py, bytes32 digest, uint256 rx, uint256 ry, uint256 z)
        internal
        view
        returns (bool)
    {
        if (!_wellFormedSignature(rx, ry, z)) return false;
        uint256 ptr;
        assembly ("memory-safe") {
            ptr := mload(0x40)
            mstore(0x40, add(ptr, _SCRATCH_32)) // allocate the whole hashing buffer
            mstore(add(ptr, 130), digest)
        }
        return _verifyPrepared(ptr, 32, px, py, rx, ry, z);
    }

    /// @notice Verifies a signature over a message of any length (e.g. the RFC 9591 vector's "test").
    function verify(uint256 px, uint256 py, bytes memory message, uint256 rx, uint256 ry, uint256 z)
        internal
        view
        returns (bool)
    {
        if (!_wellFormed(px, py, rx, ry, z)) return false;
        uint256 ptr;
        assembly ("memory-safe") {
            ptr := mload(0x40)
            let len := mload(message)
            mstore(0x40, add(ptr, add(len, _SCRATCH_0))) // allocate the whole hashing buffer
            mcopy(add(ptr, 130), add(message, 32), len)
        }
        return _verifyPrepared(ptr, message.length, px, py, rx, ry, z);
    }

    function _wellFormed(uint256 px, uint256 py, uint256 rx, uint256 ry, uint256 z) private pure returns (bool) {
        return isValidGroupKey(px, py) && _wellFormedSignature(rx, ry, z);
    }

    function _wellFormedSignature(uint256 rx, uint256 ry, uint256 z) private pure returns (bool) {
        // z in (0, n) rules out malleable signatures; R on the curve rules out forged R encodings.
        return z != 0 && z < N && isOnCurve(rx, ry);
    }

    /// @dev The message is already at ptr+130 in a buffer the caller allocated (see _SCRATCH_*).
    function _verifyPrepared(uint256 ptr, uint256 len, uint256 px, uint256 py, uint256 rx, uint256 ry, uint256 z)
        private
        view
        returns (bool ok)
    {
        assembly ("memory-safe") {
            // msg' = Z_pad (64 zero bytes) || SerializeElement(R) || SerializeElement(PK) || m
            //        || I2OSP(48, 2) || I2OSP(0, 1) || DST'              (RFC 9380 §5.3.1)
            mstore(ptr, 0)
            mstore(add(ptr, 32), 0)
            mstore(add(ptr, 65), rx)
            mstore8(add(ptr, 64), add(2, and(ry, 1)))
            mstore(add(ptr, 98), px)
            mstore8(add(ptr, 97), add(2, and(py, 1)))
            let tail := add(add(ptr, 130), len)
            mstore(tail, B0_TAIL)
            mstore8(add(tail, 32), 0x1d)
            let buf := add(tail, 64)
            // b0 = H(msg'); b1 = H(b0 || 1 || DST'); b2 = H((b0 xor b1) || 2 || DST')
            if iszero(staticcall(gas(), 2, ptr, add(len, 163), buf, 32)) { revert(0, 0) }
            let b0 := mload(buf)
            mstore(add(buf, 32), B1_TAIL)
            if iszero(staticcall(gas(), 2, buf, 63, buf, 32)) { revert(0, 0) }
            let b1 := mload(buf)
            mstore(buf, xor(b0, b1))
            mstore(add(buf, 32), B2_TAIL)
            if iszero(staticcall(gas(), 2, buf, 63, buf, 32)) { revert(0, 0) }
            // c = OS2IP(b1 || b2[0:16]) mod n   (L = 48 uniform bytes)
            let c := addmod(mulmod(b1, shl(128, 1), N), shr(128, mload(buf)), N)
            // ecrecover(-z·Px, 27 + parity(Py), Px, -c·Px) = address(z·G − c·PK)
            mstore(buf, mulmod(sub(N, z), px, N))
            mstore(add(buf, 32), add(27, and(py, 1)))
            mstore(add(buf, 64), px)
            mstore(add(buf, 96), sub(N, mulmod(c, px, N)))
            mstore(0x00, 0)
            pop(staticcall(gas(), 1, buf, 128, 0x00, 32))
            let recovered := mload(0x00)
            mstore(0x00, rx)
            mstore(0x20, ry)
            let rAddress := and(keccak256(0x00, 64), 0xffffffffffffffffffffffffffffffffffffffff)
            ok := and(iszero(iszero(recovered)), eq(recovered, rAddress))
        }
    }
}
