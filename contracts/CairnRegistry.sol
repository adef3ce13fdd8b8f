// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {FrostVerifier, FrostSignature} from "./FrostVerifier.sol";

/// @title The public record of each Cairn wallet: group key, threshold, guardian set and epoch.
/// @notice A wallet's id is derived from its group key (keccak256(Px, Py)), so nobody can squat an id,
/// and registering needs a FROST signature of that key (proof of possession). Every later change —
/// a refresh, a reshare, a new threshold — moves the wallet to the next epoch and needs a FROST
/// signature of the same group key over an EIP-712 digest binding chain id, this registry, the
/// wallet, its current epoch and the new values. Events form the audit trail.
contract CairnRegistry {
    bytes32 public constant REGISTER_TYPEHASH =
        keccak256("CairnRegister(uint256 groupKeyX,uint256 groupKeyY,uint16 threshold,bytes32 guardianSetHash)");
    bytes32 public constant ADVANCE_EPOCH_TYPEHASH =
        keccak256("CairnAdvanceEpoch(bytes32 walletId,uint64 epoch,uint16 threshold,bytes32 guardianSetHash)");
    bytes32 private constant DOMAIN_TYPEHASH =
        keccak256("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)");
    bytes32 private constant NAME_HASH = keccak256("Cairn Registry");
    bytes32 private constant VERSION_HASH = keccak256("1");

    struct Wallet {
        uint256 groupKeyX;
        uint256 groupKeyY;
        /// keccak256 of the sorted guardian device keys (see src/chain/guardianSetHash.ts).
        bytes32 guardianSetHash;
        uint64 epoch;
        uint16 threshold;
    }

    mapping(bytes32 walletId => Wallet) private _wallets;

    event WalletRegistered(
        bytes32 indexed walletId, uint256 groupKeyX, uint256 groupKeyY, uint16 threshold, bytes32 guardianSetHash
    );
    event EpochAdvanced(bytes32 indexed walletId, uint64 indexed epoch, uint16 threshold, bytes32 guardianSetHash);

    error InvalidGroupKey();
    error InvalidThreshold();
    error WalletExists(bytes32 walletId);
    error UnknownWallet(bytes32 walletId);
    /// The signature was made for another epoch: a replay of an applied change, or a stale request.
    error StaleEpoch(bytes32 walletId, uint64 currentEpoch, uint64 signedEpoch);
    error BadSignature();

    /// @notice Creates the wallet of group key (px, py) at epoch 0.
    function register(uint256 px, uint256 py, uint16 threshold, bytes32 guardianSetHash, FrostSignature calldata sig)
        external
        returns (bytes32 walletId)
    {
        if (!FrostVerifier.isValidGroupKey(px, py)) revert InvalidGroupKey();
        if (threshold == 0) revert InvalidThreshold();
        walletId = walletIdOf(px, py);
        if (_wallets[walletId].groupKeyX != 0) revert WalletExists(walletId);
        bytes32 digest = registerDigest(px, py, threshold, guardianSetHash);
        if (!FrostVerifier.verifyDigest(px, py, digest, sig.rx, sig.ry, sig.z)) revert BadSignature();
        _wallets[walletId] = Wallet(px, py, guardianSetHash, 0, threshold);
        emit WalletRegistered(walletId, px, py, threshold, guardianSetHash);
    }

    /// @notice Moves `walletId` from `epoch` to `epoch + 1` with a new guardian set and threshold.
    function advanceEpoch(
        bytes32 walletId,
        uint64 epoch,
        bytes32 newGuardianSetHash,
        uint16 newThreshold,
        FrostSignature calldata sig
    ) external {
        Wallet storage wallet = _wallets[walletId];
        uint256 px = wallet.groupKeyX;
        if (px == 0) revert UnknownWallet(walletId);
        uint64 current = wallet.epoch;
        if (epoch != current) revert StaleEpoch(walletId, current, epoch);
        if (newThreshold == 0) revert InvalidThreshold();
        bytes32 digest = advanceEpochDigest(walletId, epoch, newThreshold, newGuardianSetHash);
        if (!FrostVerifier.verifyDigest(px, wallet.groupKeyY, digest, sig.rx, sig.ry, sig.z)) revert BadSignature();
        unchecked {
            current = epoch + 1;
        }
        wallet.guardianSetHash = newGuardianSetHash;
        wallet.epoch = current;
        wallet.threshold = newThreshold;
        emit EpochAdvanced(walletId, current, newThreshold, newGuardianSetHash);
    }

    /// @notice The wallet's record; all zeros (groupKeyX == 0) when `walletId` is not registered.
    function getWallet(bytes32 walletId) external view returns (Wallet memory) {
        return _wallets[walletId];
    }

    function isRegistered(bytes32 walletId) external view returns (bool) {
        return _wallets[walletId].groupKeyX != 0;
    }

    function walletIdOf(uint256 px, uint256 py) public pure returns (bytes32) {
        return keccak256(abi.encode(px, py));
    }

    function registerDigest(uint256 px, uint256 py, uint16 threshold, bytes32 guardianSetHash)
        public
        view
        returns (bytes32)
    {
        return _typedDigest(keccak256(abi.encode(REGISTER_TYPEHASH, px, py, threshold, guardianSetHash)));
    }

    function advanceEpochDigest(bytes32 walletId, uint64 epoch, uint16 threshold, bytes32 guardianSetHash)
        public
        view
        returns (bytes32)
    {
        return _typedDigest(
            keccak256(abi.encode(ADVANCE_EPOCH_TYPEHASH, walletId, epoch, threshold, guardianSetHash))
        );
    }

    function domainSeparator() public view returns (bytes32) {
        return keccak256(abi.encode(DOMAIN_TYPEHASH, NAME_HASH, VERSION_HASH, block.chainid, address(this)));
    }

    function _typedDigest(bytes32 structHash) private view returns (bytes32) {
        return keccak256(abi.encodePacked(hex"1901", domainSeparator(), structHash));
    }
}
