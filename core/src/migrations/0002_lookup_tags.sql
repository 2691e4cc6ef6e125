-- SPDX-License-Identifier: GPL-3.0-or-later
-- Keydeck vault schema 2: keyed lookup tags beside each account (docs/vault-format.md §4a), so
-- that one account can be found by name without decrypting every record. Existing rows get their
-- tags at the next write of a fully unlocked vault; until then lookups decrypt everything.
ALTER TABLE items ADD COLUMN name_tag BLOB;
ALTER TABLE items ADD COLUMN issuer_tag BLOB;
CREATE INDEX items_by_name_tag ON items (name_tag) WHERE name_tag IS NOT NULL;
CREATE INDEX items_by_issuer_tag ON items (issuer_tag) WHERE issuer_tag IS NOT NULL;
-- Makes "is every account tagged?" (asked before each lookup) one probe instead of a scan.
CREATE INDEX items_untagged ON items (kind) WHERE name_tag IS NULL;
