// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";

/// @title HeraldRewards
/// @notice The ERC-20 token Herald deploys for each Original-style reward. The constructor mints
/// the initial supply to the contract itself: that balance is the reward pool. Only the owner
/// (Herald's signer) allocates from the pool to users' custodial wallets, each allocation under a
/// nonce that can be used once ever, so a retried allocation never pays twice. Herald holds the
/// custodial keys, so the owner also moves a user's allocated tokens on the user's behalf
/// (`claim`). `withdraw` closes the reward for good and sends what is left of the pool to the
/// withdraw receiver fixed at deployment; users keep what they were allocated.
/// The pool only grows by minting (`fund`): no transfer may send tokens to the contract.
/// Reverts use `require` strings so that clients decode a readable reason.
contract HeraldRewards is ERC20, Ownable {
    /// @notice Where `withdraw` sends the remaining pool.
    address public immutable withdrawReceiver;

    /// @notice True once `withdraw` ran: no more allocations or funding, ever.
    bool public closed;

    mapping(bytes32 nonce => bool used) private _nonceUsed;

    /// @notice Emitted when the owner allocates `amount` from the pool to `to` under `nonce`.
    event Allocated(address indexed to, uint256 amount, bytes32 indexed nonce);

    /// @notice Emitted when the owner moves `amount` of `from`'s tokens to `to`.
    event Claimed(address indexed from, address indexed to, uint256 amount);

    /// @notice Emitted when the owner closes the reward and sends the remaining pool to `receiver`.
    event Withdrawn(address indexed receiver, uint256 amount);

    constructor(
        string memory name_,
        string memory symbol_,
        address initialOwner,
        address withdrawReceiver_,
        uint256 initialSupply
    ) ERC20(name_, symbol_) Ownable(initialOwner) {
        require(withdrawReceiver_ != address(0), "withdraw receiver is zero");
        withdrawReceiver = withdrawReceiver_;
        _mint(address(this), initialSupply);
    }

    /// @notice Moves `amount` from the pool to `to`; `nonce` identifies the allocation and is
    /// accepted once ever, so that sending the same allocation again cannot pay twice.
    function allocate(address to, uint256 amount, bytes32 nonce) external onlyOwner {
        require(!closed, "rewards closed");
        require(!_nonceUsed[nonce], "nonce already used");
        require(amount > 0, "amount is zero");
        require(balanceOf(address(this)) >= amount, "insufficient reward pool");
        _nonceUsed[nonce] = true;
        _transfer(address(this), to, amount);
        emit Allocated(to, amount, nonce);
    }

    /// @notice Moves `amount` of `from`'s tokens to `to`, on behalf of `from`: Herald holds the
    /// custodial wallets' keys. Reverts with `ERC20InsufficientBalance` when `from` holds less.
    /// @dev The pool is not a user's balance: it leaves only through `allocate` and `withdraw`.
    function claim(address from, address to, uint256 amount) external onlyOwner {
        require(amount > 0, "amount is zero");
        require(from != address(this), "cannot claim from the pool");
        require(to != address(0) && to != address(this), "invalid recipient");
        _transfer(from, to, amount);
        emit Claimed(from, to, amount);
    }

    /// @notice Closes the reward for good and sends the whole remaining pool to `withdrawReceiver`.
    function withdraw() external onlyOwner {
        require(!closed, "rewards closed");
        closed = true;
        uint256 amount = balanceOf(address(this));
        if (amount > 0) _transfer(address(this), withdrawReceiver, amount);
        emit Withdrawn(withdrawReceiver, amount);
    }

    /// @notice Mints `amount` more into the pool.
    function fund(uint256 amount) external onlyOwner {
        require(!closed, "rewards closed");
        require(amount > 0, "amount is zero");
        _mint(address(this), amount);
    }

    /// @notice Whether `nonce` was already used by an allocation.
    function nonceUsed(bytes32 nonce) external view returns (bool) {
        return _nonceUsed[nonce];
    }

    /// @notice The tokens left to allocate: the contract's own balance.
    function pool() external view returns (uint256) {
        return balanceOf(address(this));
    }

    /// @dev Only minting may credit the contract: a transfer to it would silently grow the pool
    /// (and strand the tokens once the reward is closed).
    function _update(address from, address to, uint256 value) internal override {
        require(to != address(this) || from == address(0), "invalid recipient");
        super._update(from, to, value);
    }
}
