// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {FrostVerifier, FrostSignature} from "./FrostVerifier.sol";
import {PackedUserOperation} from "./PackedUserOperation.sol";

/// @title A vault that the guardians' FROST group key controls; an ERC-4337 v0.8 account.
/// @notice Two ways in, both authorised only by a FROST signature of the group key:
/// - a user operation through the canonical EntryPoint v0.8: `validateUserOp` checks the signature
///   over `CairnUserOp(userOpHash, validUntil)` and pays the EntryPoint from the vault's own ETH;
/// - `execute`, which anyone may submit, signed over (to, value, data, nonce, minGas, validUntil).
/// Both signatures carry a deadline, and `execute` carries a gas floor that the submitter must meet
/// (a signature cannot be burned with too little gas, nor kept for later). Digests are EIP-712 in
/// this vault's domain (chain id + vault address). The key lives in immutables: refresh and reshare
/// keep the group key, so the hot paths make no registry call.
contract CairnVault {
    /// @notice The canonical ERC-4337 v0.8 EntryPoint, at the same address on every chain (deployed
    /// through the deterministic CREATE2 deployer); a new EntryPoint version needs a new vault.
    address public constant ENTRY_POINT = 0x4337084D9E255Ff0702461CF8895CE9E3b5Ff108;
    bytes32 public constant EXECUTE_TYPEHASH = keccak256(
        "CairnExecute(address to,uint256 value,bytes data,uint256 nonce,uint256 minGas,uint48 validUntil)"
    );
    /// The group signs the EntryPoint's userOpHash (which binds chain id, EntryPoint, sender, nonce,
    /// calls and gas fields) wrapped with a deadline, in the vault's own domain.
    bytes32 public constant USER_OP_TYPEHASH = keccak256("CairnUserOp(bytes32 userOpHash,uint48 validUntil)");
    /// ERC-1271 hashes are wrapped in their own type, so a signature a dapp asked for can never be
    /// an `execute` authorisation (and vice versa).
    bytes32 public constant MESSAGE_TYPEHASH = keccak256("CairnMessage(bytes32 hash)");
    bytes32 private constant DOMAIN_TYPEHASH =
        keccak256("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)");
    bytes32 private constant NAME_HASH = keccak256("Cairn Vault");
    bytes32 private constant VERSION_HASH = keccak256("1");
    bytes4 private constant ERC1271_MAGIC = 0x1626ba7e;
    /// ERC-4337's validationData for a bad signature (the EntryPoint then refuses the operation).
    uint256 private constant SIG_VALIDATION_FAILED = 1;
    /// What `execute` keeps back, on top of minGas·64/63, for the CALL itself (cold account 2,600,
    /// value 9,000, new account 25,000) and the few instructions before it.
    uint256 private constant CALL_RESERVE = 40_000;

    uint256 public immutable groupKeyX;
    uint256 public immutable groupKeyY;
    uint256 private immutable _deployChainId;
    bytes32 private immutable _deployDomainSeparator;

    /// @notice Number of executed calls; the next `execute` must be signed for this value.
    uint256 public nonce;
    bool private transient _entered;

    event Executed(uint256 indexed nonce, address indexed to, uint256 value);
    event Received(address indexed from, uint256 value);

    error InvalidGroupKey();
    error BadSignature();
    error Reentrancy();
    error CallFailed(bytes returnData);
    error Expired(uint48 validUntil);
    /// The submitter gave too little gas for the call's signed floor (SWC-126): nothing happens.
    error InsufficientGas(uint256 minGas);
    error NotEntryPoint();

    constructor(uint256 px, uint256 py) {
        if (!FrostVerifier.isValidGroupKey(px, py)) revert InvalidGroupKey();
        groupKeyX = px;
        groupKeyY = py;
        _deployChainId = block.chainid;
        _deployDomainSeparator = _buildDomainSeparator();
    }

    receive() external payable {
        emit Received(msg.sender, msg.value);
    }

    /// @notice Calls `to` with `value` wei and `data`, authorised by the group's FROST signature.
    /// @param minGas The gas the call must be able to use (signed): with less, `execute` reverts and
    /// the nonce stays unspent, so a submitter cannot burn the signature with a low gas limit.
    /// @param validUntil The signed deadline (unix seconds); later, the signature is worthless.
    function execute(
        address to,
        uint256 value,
        bytes calldata data,
        uint256 minGas,
        uint48 validUntil,
        FrostSignature calldata signature
    ) external {
        if (_entered) revert Reentrancy();
        _entered = true;
        if (block.timestamp > validUntil) revert Expired(validUntil);
        uint256 current = nonce;
        bytes32 digest = executeDigest(to, value, data, current, minGas, validUntil);
        if (!FrostVerifier.verifyDigest(groupKeyX, groupKeyY, digest, signature.rx, signature.ry, signature.z)) {
            revert BadSignature();
        }
        unchecked {
            nonce = current + 1;
        }
        // The callee receives 63/64 of what is left after the CALL's own cost (EIP-150): make sure
        // that is at least minGas, like Safe's safeTxGas check. The revert also restores the nonce.
        if (gasleft() < minGas + minGas / 63 + CALL_RESERVE) revert InsufficientGas(minGas);
        (bool success, bytes memory result) = to.call{value: value}(data);
        if (!success) revert CallFailed(result);
        _entered = false;
    }

    /// @notice ERC-4337 v0.8: checks the group's signature on a user operation. `userOp.signature` is
    /// validUntil (6 bytes) ‖ Rx ‖ Ry ‖ z (32 bytes each), a FROST signature over
    /// `userOpDigest(userOpHash, validUntil)`. A wrong or malformed signature returns
    /// SIG_VALIDATION_FAILED instead of reverting (the EntryPoint's rule, so gas estimation works with
    /// a stub); the deadline goes back in validationData because validation may not read the clock.
    function validateUserOp(PackedUserOperation calldata userOp, bytes32 userOpHash, uint256 missingAccountFunds)
        external
        returns (uint256 validationData)
    {
        if (msg.sender != ENTRY_POINT) revert NotEntryPoint();
        validationData = _validateUserOpSignature(userOp.signature, userOpHash);
        if (missingAccountFunds != 0) {
            // The prefund goes to the EntryPoint as the vault's deposit; the EntryPoint checks it arrived.
            assembly ("memory-safe") {
                pop(call(gas(), caller(), missingAccountFunds, 0, 0, 0, 0))
            }
        }
    }

    /// @notice The call a user operation makes (its callData), once the EntryPoint validated it.
    function executeUserOp(address to, uint256 value, bytes calldata data) external returns (bytes memory result) {
        if (msg.sender != ENTRY_POINT) revert NotEntryPoint();
        bool success;
        (success, result) = to.call{value: value}(data);
        if (!success) revert CallFailed(result);
    }

    function _validateUserOpSignature(bytes calldata signature, bytes32 userOpHash) private view returns (uint256) {
        if (signature.length != 102) return SIG_VALIDATION_FAILED;
        uint48 validUntil;
        uint256 rx;
        uint256 ry;
        uint256 z;
        assembly ("memory-safe") {
            validUntil := shr(208, calldataload(signature.offset))
            rx := calldataload(add(signature.offset, 6))
            ry := calldataload(add(signature.offset, 38))
            z := calldataload(add(signature.offset, 70))
        }
        // A deadline is part of every signed operation: 0 (ERC-4337's "for ever") is refused.
        if (validUntil == 0) return SIG_VALIDATION_FAILED;
        bytes32 digest = userOpDigest(userOpHash, validUntil);
        if (!FrostVerifier.verifyDigest(groupKeyX, groupKeyY, digest, rx, ry, z)) return SIG_VALIDATION_FAILED;
        return uint256(validUntil) << 160;
    }

    /// @notice ERC-1271: a 96-byte (Rx, Ry, z) FROST signature over `messageDigest(hash)`.
    function isValidSignature(bytes32 hash, bytes calldata signature) external view returns (bytes4) {
        if (signature.length != 96) return 0xffffffff;
        (uint256 rx, uint256 ry, uint256 z) = abi.decode(signature, (uint256, uint256, uint256));
        return FrostVerifier.verifyDigest(groupKeyX, groupKeyY, messageDigest(hash), rx, ry, z)
            ? ERC1271_MAGIC
            : bytes4(0xffffffff);
    }

    /// @notice The digest the group signs to authorise `execute(to, value, data, minGas, validUntil)` at `nonce_`.
    function executeDigest(
        address to,
        uint256 value,
        bytes calldata data,
        uint256 nonce_,
        uint256 minGas,
        uint48 validUntil
    ) public view returns (bytes32) {
        return _typedDigest(
            keccak256(abi.encode(EXECUTE_TYPEHASH, to, value, keccak256(data), nonce_, minGas, validUntil))
        );
    }

    /// @notice The digest the group signs to authorise the user operation `userOpHash` until `validUntil`.
    function userOpDigest(bytes32 userOpHash, uint48 validUntil) public view returns (bytes32) {
        return _typedDigest(keccak256(abi.encode(USER_OP_TYPEHASH, userOpHash, validUntil)));
    }

    /// @notice The digest the group signs so that `isValidSignature(hash, ·)` accepts it.
    function messageDigest(bytes32 hash) public view returns (bytes32) {
        return _typedDigest(keccak256(abi.encode(MESSAGE_TYPEHASH, hash)));
    }

    function domainSeparator() public view returns (bytes32) {
        return block.chainid == _deployChainId ? _deployDomainSeparator : _buildDomainSeparator();
    }

    function supportsInterface(bytes4 interfaceId) external pure returns (bool) {
        return interfaceId == 0x01ffc9a7 // ERC-165
            || interfaceId == 0x150b7a02 // ERC721TokenReceiver
            || interfaceId == 0x4e2312e0; // ERC1155TokenReceiver
    }

    function onERC721Received(address, address, uint256, bytes calldata) external pure returns (bytes4) {
        return 0x150b7a02;
    }

    function onERC1155Received(address, address, uint256, uint256, bytes calldata) external pure returns (bytes4) {
        return 0xf23a6e61;
    }

    function onERC1155BatchReceived(address, address, uint256[] calldata, uint256[] calldata, bytes calldata)
        external
        pure
        returns (bytes4)
    {
        return 0xbc197c81;
    }

    function _typedDigest(bytes32 structHash) private view returns (bytes32 digest) {
        bytes32 separator = domainSeparator();
        assembly ("memory-safe") {
            let ptr := mload(0x40)
            mstore(ptr, hex"1901")
            mstore(add(ptr, 2), separator)
            mstore(add(ptr, 34), structHash)
            digest := keccak256(ptr, 66)
        }
    }

    function _buildDomainSeparator() private view returns (bytes32) {
        return keccak256(abi.encode(DOMAIN_TYPEHASH, NAME_HASH, VERSION_HASH, block.chainid, address(this)));
    }
}
