-- Keydeck vault schema 1 (format v1). See docs/vault-format.md.
-- Only ids, kinds, timestamps and counters are plain; every user value is inside `ciphertext`.

CREATE TABLE meta (
    key   TEXT PRIMARY KEY NOT NULL,
    value BLOB NOT NULL
) WITHOUT ROWID;

-- One row per way to unlock: each wraps the same vault key under its own key-encryption key.
CREATE TABLE slots (
    id          BLOB PRIMARY KEY NOT NULL CHECK (length(id) = 16),
    kind        TEXT NOT NULL,          -- 'password' | 'keychain' | 'recovery' | later kinds
    params      TEXT NOT NULL,          -- canonical KDF parameters ('' when the KEK is random)
    salt        BLOB NOT NULL,          -- KDF salt (empty when the KEK is random)
    nonce       BLOB NOT NULL,          -- 12 bytes
    wrapped_key BLOB NOT NULL,          -- AES-256-GCM(KEK, VK) ‖ tag: 48 bytes
    created_at  INTEGER NOT NULL
);

CREATE TABLE items (
    id          BLOB PRIMARY KEY NOT NULL CHECK (length(id) = 16),
    kind        TEXT NOT NULL,          -- 'account' | 'event'
    nonce       BLOB NOT NULL,          -- 12 bytes, fresh per write
    ciphertext  BLOB NOT NULL,          -- AES-256-GCM(VK, JSON record) ‖ tag
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL
);

CREATE INDEX items_by_kind ON items (kind, created_at);
