// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {CairnVault} from "./CairnVault.sol";

/// @title Deploys each group's CairnVault at an address that depends only on this factory and the
/// group key (CREATE2, the key in the init code). Any guardian, or a recovery from the paper backup,
/// recomputes the vault's address from the key alone; anyone may deploy it, and nobody can deploy
/// anything else there.
contract CairnVaultFactory {
    event VaultCreated(address indexed vault, uint256 groupKeyX, uint256 groupKeyY);

    /// @notice Deploys the vault of (px, py), or returns it if it already exists.
    function createVault(uint256 px, uint256 py) external returns (address vault) {
        vault = vaultAddress(px, py);
        if (vault.code.length != 0) return vault;
        vault = address(new CairnVault{salt: bytes32(0)}(px, py));
        emit VaultCreated(vault, px, py);
    }

    /// @notice The address of the vault of (px, py), deployed or not.
    function vaultAddress(uint256 px, uint256 py) public view returns (address) {
        bytes32 initCodeHash = keccak256(abi.encodePacked(type(CairnVault).creationCode, abi.encode(px, py)));
        return address(uint160(uint256(keccak256(abi.encodePacked(bytes1(0xff), address(this), bytes32(0), initCodeHash)))));
    }
}
