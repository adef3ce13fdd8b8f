// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

/// @notice ERC-4337 v0.8's user operation as the EntryPoint passes it to `validateUserOp`; the same
/// layout as @account-abstraction/contracts' interfaces/PackedUserOperation.sol (ABI-compatible).
/// `accountGasLimits` = verificationGasLimit (high 128 bits) ‖ callGasLimit (low 128);
/// `gasFees` = maxPriorityFeePerGas (high) ‖ maxFeePerGas (low).
struct PackedUserOperation {
    address sender;
    uint256 nonce;
    bytes initCode;
    bytes callData;
    bytes32 accountGasLimits;
    uint256 preVerificationGas;
    bytes32 gasFees;
    bytes paymasterAndData;
    bytes signature;
}
