// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {ERC721} from "@openzeppelin/contracts/token/ERC721/ERC721.sol";
import {ERC721URIStorage} from "@openzeppelin/contracts/token/ERC721/extensions/ERC721URIStorage.sol";
import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";

/// @title HeraldCollection
/// @notice The ERC-721 collection Herald deploys for each collection it manages.
/// Only the owner (Herald's key) and the minters it names (the other keys of Herald's signer
/// pool) mint and edit metadata; only the owner changes who mints. Token ids are sequential
/// from 1, every token has its own URI (ERC-4906 `MetadataUpdate` on change), and an optional
/// supply limit caps the number ever minted (0 = unlimited). The owner burns any token; a
/// holder (or an operator it approved) burns its own, as with ERC721Burnable.
/// Custody: a token minted to a custodial wallet (whose key Herald holds and never uses to
/// sign) is marked in custody; the owner moves only such tokens, on their holders' behalf,
/// and a token that leaves custody (moved to an outside address) is out of Herald's reach.
/// Reverts use `require` strings so that clients decode a readable reason.
contract HeraldCollection is ERC721URIStorage, Ownable {
    uint256 private _totalMinted;
    uint256 private _supplyLimit;
    mapping(uint256 => bool) private _inCustody;
    mapping(address => bool) private _minters;

    /// @notice Emitted when the owner changes the supply limit.
    event SupplyLimitChanged(uint256 supplyLimit);
    /// @notice Emitted when an account is made a minter or stops being one.
    event MinterChanged(address indexed account, bool minter);

    constructor(
        string memory name_,
        string memory symbol_,
        address initialOwner,
        uint256 supplyLimit_,
        address[] memory minters_
    ) ERC721(name_, symbol_) Ownable(initialOwner) {
        _supplyLimit = supplyLimit_;
        for (uint256 i = 0; i < minters_.length; i++) {
            _minters[minters_[i]] = true;
            emit MinterChanged(minters_[i], true);
        }
    }

    /// @dev The owner, or one of its minters; anyone else is refused as Ownable refuses.
    modifier onlyMinter() {
        if (msg.sender != owner() && !_minters[msg.sender]) revert OwnableUnauthorizedAccount(msg.sender);
        _;
    }

    /// @notice Whether `account` may mint, move tokens in custody and edit (the owner always may).
    function isMinter(address account) external view returns (bool) {
        return account == owner() || _minters[account];
    }

    /// @notice Makes `account` a minter, or stops it being one.
    function setMinter(address account, bool minter) external onlyOwner {
        _minters[account] = minter;
        emit MinterChanged(account, minter);
    }

    /// @notice Mints the next token id to `to` with token URI `uri`.
    /// @dev `_mint`, not `_safeMint`: recipients are addresses chosen by the operator, and a
    /// contract recipient without `onERC721Received` must not make the mint fail.
    function mintTo(address to, string calldata uri) external onlyMinter returns (uint256 tokenId) {
        require(_supplyLimit == 0 || _totalMinted < _supplyLimit, "supply limit reached");
        tokenId = ++_totalMinted;
        _mint(to, tokenId);
        _setTokenURI(tokenId, uri);
    }

    /// @notice Mints the next token id to the custodial wallet `to`, in custody.
    function mintToCustody(address to, string calldata uri) external onlyMinter returns (uint256 tokenId) {
        require(_supplyLimit == 0 || _totalMinted < _supplyLimit, "supply limit reached");
        tokenId = ++_totalMinted;
        _inCustody[tokenId] = true;
        _mint(to, tokenId);
        _setTokenURI(tokenId, uri);
    }

    /// @notice Mints the next token ids in order, one per entry: `to[i]` gets token URI
    /// `uris[i]`, in custody when `custody[i]`. One transaction for many mints (Herald sends
    /// queued mints of a collection this way); all or nothing: past the supply limit, none.
    function mintBatch(
        address[] calldata to,
        string[] calldata uris,
        bool[] calldata custody
    ) external onlyMinter returns (uint256 firstId) {
        require(to.length == uris.length && to.length == custody.length, "lengths differ");
        require(_supplyLimit == 0 || _totalMinted + to.length <= _supplyLimit, "supply limit reached");
        firstId = _totalMinted + 1;
        for (uint256 i = 0; i < to.length; i++) {
            uint256 tokenId = ++_totalMinted;
            if (custody[i]) _inCustody[tokenId] = true;
            _mint(to[i], tokenId);
            _setTokenURI(tokenId, uris[i]);
        }
    }

    /// @notice Moves a token in custody from its holder `from` to `to`, on the holder's behalf;
    /// it stays in custody only when `to` is a custodial wallet too (`keepInCustody`). `from`
    /// must still hold it: a transfer asked by a former holder can never move the token again.
    function custodyTransfer(address from, address to, uint256 id, bool keepInCustody) external onlyMinter {
        require(_inCustody[id], "token not in custody");
        require(_requireOwned(id) == from, "token not held by from");
        _inCustody[id] = keepInCustody;
        _transfer(from, to, id);
    }

    /// @notice Burns token `id` on behalf of its holder `from`, which must still hold it: a burn
    /// asked by a former holder (the token moved meanwhile) can never destroy the new holder's.
    function custodyBurn(address from, uint256 id) external onlyMinter {
        require(_requireOwned(id) == from, "token not held by from");
        _burn(id);
    }

    /// @notice Whether the owner may move token `id` (it sits in a custodial wallet).
    function inCustody(uint256 id) external view returns (bool) {
        return _inCustody[id];
    }

    /// @notice Replaces the token URI of an existing token; emits `MetadataUpdate(id)`.
    function setTokenURI(uint256 id, string calldata uri) external onlyMinter {
        _requireOwned(id);
        _setTokenURI(id, uri);
    }

    /// @notice Burns token `id`: the owner and its minters any token (Herald burns for custodial
    /// wallets), anyone else only a token it holds or is approved for.
    function burn(uint256 id) external {
        address auth = msg.sender == owner() || _minters[msg.sender] ? address(0) : msg.sender;
        if (_update(address(0), id, auth) == address(0)) revert ERC721NonexistentToken(id);
    }

    /// @notice Changes the supply limit (0 = unlimited); never below the number already minted.
    function setSupplyLimit(uint256 supplyLimit_) external onlyMinter {
        require(supplyLimit_ == 0 || supplyLimit_ >= _totalMinted, "supply limit below minted");
        _supplyLimit = supplyLimit_;
        emit SupplyLimitChanged(supplyLimit_);
    }

    /// @notice How many tokens were ever minted (burnt ones included): the last token id.
    function totalMinted() external view returns (uint256) {
        return _totalMinted;
    }

    /// @notice The supply limit; 0 means unlimited.
    function supplyLimit() external view returns (uint256) {
        return _supplyLimit;
    }
}
