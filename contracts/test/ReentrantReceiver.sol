// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

/// @notice Test contract: when it receives ETH it re-enters `target` once with a prepared call
/// (e.g. a vault `execute` carrying a valid signature for the next nonce) and records the outcome.
contract ReentrantReceiver {
    address public target;
    bytes public payload;
    bool public attempted;
    bool public reentered;

    function arm(address target_, bytes calldata payload_) external {
        target = target_;
        payload = payload_;
        attempted = false;
        reentered = false;
    }

    receive() external payable {
        if (target == address(0) || attempted) return;
        attempted = true;
        (bool ok,) = target.call(payload);
        reentered = ok;
    }
}
