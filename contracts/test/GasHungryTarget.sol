// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

/// @notice Test target for the gas floor (SWC-126): `work` needs ~700k gas, but wraps the heavy part
/// in try/catch, so with too little gas it still *succeeds* — without its effect. A vault `execute`
/// that did not enforce its signed gas floor would then spend the guardians' approval for nothing.
contract GasHungryTarget {
    uint256 public done;

    event Failed();

    function work() external {
        try this.burn() {
            done += 1;
        } catch {
            emit Failed();
        }
    }

    /// Burns 650,000 gas.
    function burn() external view {
        uint256 stop = gasleft() - 650_000;
        while (gasleft() > stop) {}
    }
}
