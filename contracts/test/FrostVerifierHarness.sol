// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {FrostVerifier} from "../FrostVerifier.sol";

/// @notice Test/benchmark harness exposing the verifier library (eth_call only).
contract FrostVerifierHarness {
    function verify(uint256 px, uint256 py, bytes calldata message, uint256 rx, uint256 ry, uint256 z)
        external
        view
        returns (bool)
    {
        return FrostVerifier.verify(px, py, message, rx, ry, z);
    }

    function verifyDigest(uint256 px, uint256 py, bytes32 digest, uint256 rx, uint256 ry, uint256 z)
        external
        view
        returns (bool)
    {
        // verifyDigest trusts the key (contracts check it once, when they store it); so does this.
        return FrostVerifier.isValidGroupKey(px, py) && FrostVerifier.verifyDigest(px, py, digest, rx, ry, z);
    }

    /// @notice Gas of one `verifyDigest` alone, measured with gasleft() around the call.
    function measureVerifyDigest(uint256 px, uint256 py, bytes32 digest, uint256 rx, uint256 ry, uint256 z)
        external
        view
        returns (bool ok, uint256 gasUsed)
    {
        uint256 before = gasleft();
        ok = FrostVerifier.verifyDigest(px, py, digest, rx, ry, z);
        gasUsed = before - gasleft();
    }
}
