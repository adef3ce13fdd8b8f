// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {FrostVerifier, FrostSignature} from "./FrostVerifier.sol";

/// @title A vault that the guardians' FROST group key controls.
/// @notice Anyone may submit `execute`; only a FROST signature of the group key over the EIP-712
/// digest of (to, value, data, nonce) in this vault's domain (chain id + vault address) authorises it.
/// The key lives in immutables: refresh and reshare keep the group key, so it never changes, and the
/// hot path makes no registry call and reads one storage slot (the nonce).
contract CairnVault {
    bytes32 public constant EXECUTE_TYPEHASH =
        keccak256("CairnExecute(address to,uint256 value,bytes data,uint256 nonce)");
    /// ERC-1271 hashes are wrapped in their own type, so a signature a dapp asked for can never be
    /// an `execute` authorisation (and vice versa).
    bytes32 public constant MESSAGE_TYPEHASH = keccak256("CairnMessage(bytes32 hash)");
    bytes32 private constant DOMAIN_TYPEHASH =
        keccak256("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)");
    bytes32 private constant NAME_HASH = keccak256("Cairn Vault");
    bytes32 private constant VERSION_HASH = keccak256("1");
    bytes4 private constant ERC1271_MAGIC = 0x1626ba7e;

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
    function execute(address to, uint256 value, bytes calldata data, FrostSignature calldata signature)
        external
        returns (bytes memory result)
    {
        if (_entered) revert Reentrancy();
        _entered = true;
        uint256 current = nonce;
        bytes32 digest = executeDigest(to, value, data, current);
        if (!FrostVerifier.verifyDigest(groupKeyX, groupKeyY, digest, signature.rx, signature.ry, signature.z)) {
            revert BadSignature();
        }
        unchecked {
            nonce = current + 1;
        }
        bool success;
        (success, result) = to.call{value: value}(data);
        if (!success) revert CallFailed(result);
        emit Executed(current, to, value);
        _entered = false;
    }

    /// @notice ERC-1271: a 96-byte (Rx, Ry, z) FROST signature over `messageDigest(hash)`.
    function isValidSignature(bytes32 hash, bytes calldata signature) external view returns (bytes4) {
        if (signature.length != 96) return 0xffffffff;
        (uint256 rx, uint256 ry, uint256 z) = abi.decode(signature, (uint256, uint256, uint256));
        return FrostVerifier.verifyDigest(groupKeyX, groupKeyY, messageDigest(hash), rx, ry, z)
            ? ERC1271_MAGIC
            : bytes4(0xffffffff);
    }

    /// @notice The digest the group signs to authorise `execute(to, value, data)` at `nonce_`.
    function executeDigest(address to, uint256 value, bytes calldata data, uint256 nonce_)
        public
        view
        returns (bytes32)
    {
        bytes32 structHash = keccak256(abi.encode(EXECUTE_TYPEHASH, to, value, keccak256(data), nonce_));
        return _typedDigest(structHash);
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
