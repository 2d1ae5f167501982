-- The rectify ledger, schema version 6 (PRAGMA user_version = 6).
--
-- Items live in typed, indexed columns: the deadline check and the reports
-- are index lookups and GROUP BYs, never a scan over JSON blobs.
-- Dates are TEXT 'YYYY-MM-DD'; timestamps are TEXT RFC 3339 UTC.
-- The event table is the append-only history; every other table can be
-- rebuilt from it (that is what `rectify verify` checks).

CREATE TABLE campaign (
    id          INTEGER PRIMARY KEY,
    code        TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    source      TEXT NOT NULL DEFAULT '',
    start_on    TEXT NOT NULL,
    days        INTEGER NOT NULL CHECK (days > 0),
    recorded_at TEXT NOT NULL,
    acceptance  INTEGER NOT NULL DEFAULT 0
);
-- campaign.acceptance (schema version 5): 1 when a done measure must be
-- accepted (验收) by someone other than who closed it before its problem
-- can be closed out (销号).

CREATE TABLE problem (
    id           INTEGER PRIMARY KEY,  -- the n of P<n>
    uuid         TEXT NOT NULL UNIQUE,
    campaign_id  INTEGER REFERENCES campaign(id),
    title        TEXT NOT NULL,
    scope        TEXT CHECK (scope IN ('group', 'individual')),
    source       TEXT NOT NULL DEFAULT '',
    subject      TEXT NOT NULL DEFAULT '',
    cause        TEXT NOT NULL DEFAULT '',
    leader       TEXT NOT NULL DEFAULT '',
    department   TEXT NOT NULL DEFAULT '',
    owner        TEXT NOT NULL DEFAULT '',
    raised_on    TEXT NOT NULL,
    due_original TEXT,
    due_current  TEXT,
    status       TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
    closed_on    TEXT,
    close_note   TEXT NOT NULL DEFAULT '',
    evidence     TEXT NOT NULL DEFAULT '',
    progress     TEXT NOT NULL DEFAULT '',
    recorded_at  TEXT NOT NULL,
    extra        TEXT NOT NULL DEFAULT '',
    voided_on    TEXT
);
-- extra (schema version 4): the columns of an office's sheet that rectify
-- has no field for (联系电话, 问题类别 …), kept so nothing typed is lost: a
-- JSON object of header to text, keys sorted, or '' when there are none.
CREATE INDEX problem_by_campaign ON problem (campaign_id);
CREATE INDEX problem_by_due ON problem (status, due_current);

CREATE TABLE measure (
    id           INTEGER PRIMARY KEY,  -- the n of M<n>
    uuid         TEXT NOT NULL UNIQUE,
    problem_id   INTEGER NOT NULL REFERENCES problem(id),
    title        TEXT NOT NULL,
    leader       TEXT NOT NULL DEFAULT '',
    department   TEXT NOT NULL DEFAULT '',
    owner        TEXT NOT NULL DEFAULT '',
    raised_on    TEXT NOT NULL,
    due_original TEXT,
    due_current  TEXT,
    -- The lists of allowed values are written as comparisons (schema
    -- version 6): SQLite builds a temporary index for an IN list of three or
    -- more on every row it checks, a quarter of an import's work.
    status       TEXT NOT NULL DEFAULT 'open'
                 CHECK (status = 'open' OR status = 'ongoing' OR status = 'closed'),
    closed_on    TEXT,
    close_note   TEXT NOT NULL DEFAULT '',
    evidence     TEXT NOT NULL DEFAULT '',
    progress     TEXT NOT NULL DEFAULT '',
    recorded_at  TEXT NOT NULL,
    settled_on   TEXT,
    extra        TEXT NOT NULL DEFAULT '',
    voided_on    TEXT,
    accepted_on  TEXT,
    accepted_by  TEXT NOT NULL DEFAULT ''
);
-- voided_on (schema version 5, problems and measures): the day an item
-- entered by mistake was voided (作废); a voided item is left out of every
-- list, count, report, check and export, and NULL for every other item.
-- accepted_on / accepted_by (schema version 5): the acceptance (验收) of a
-- done measure in a campaign that asks for it; a reopen clears both.
-- measure.settled_on (schema version 2) is derived from the history, never
-- from a payload: the latest effective date among the measure's add,
-- extend, close, ongoing and reopen events, as long as they were recorded
-- in date order; '9999-12-31' once one was backdated before another. A
-- report "as of D" with settled_on <= D reads status, closed_on and
-- due_current as they stand, and looks the history up only otherwise.
-- By problem, carrying what decides whether a measure holds its problem
-- open (schema version 6): whether a problem has live measures and
-- whether any blocks its close-out are answered from the index alone,
-- where reading each measure's row cost `check` a fifth of its time.
CREATE INDEX measure_by_problem ON measure (problem_id, voided_on, status, accepted_on);
CREATE INDEX measure_by_due ON measure (status, due_current);
CREATE INDEX measure_by_department ON measure (department);
CREATE INDEX measure_by_owner ON measure (owner);
-- The few voided items (schema version 5), which reports count apart.
CREATE INDEX problem_voided ON problem (campaign_id) WHERE voided_on IS NOT NULL;
CREATE INDEX measure_voided ON measure (problem_id) WHERE voided_on IS NOT NULL;

-- Append-only history. hash = SHA-256 over prev_hash and the event's
-- canonical encoding (README, "The history chain"). It carries no UNIQUE
-- index (schema 1 had one): each hash already depends on every event before
-- it and verify checks every link, and an index of random 64-digit keys
-- turned a large import into random writes all over the file.
-- Schema 3 widens the kinds and actions: 'ledger' events hold settings of
-- the whole ledger ('language': the office's interface language), and
-- 'edit', 'void' and 'accept' are reserved for corrections, voiding and
-- acceptance (验收). It also drops schema 2's unused `item` view.
CREATE TABLE event (
    seq          INTEGER PRIMARY KEY,
    recorded_at  TEXT NOT NULL,
    actor        TEXT NOT NULL,
    kind         TEXT NOT NULL CHECK (kind = 'ledger' OR kind = 'campaign' OR kind = 'problem'
                                      OR kind = 'measure'),
    item_id      INTEGER NOT NULL,
    item         TEXT NOT NULL,
    action       TEXT NOT NULL CHECK (action = 'add' OR action = 'assign' OR action = 'extend'
                   OR action = 'note' OR action = 'close' OR action = 'ongoing'
                   OR action = 'reopen' OR action = 'campaign' OR action = 'language'
                   OR action = 'edit' OR action = 'void' OR action = 'accept'),
    effective_on TEXT NOT NULL,
    payload      TEXT NOT NULL,
    prev_hash    TEXT NOT NULL,
    hash         TEXT NOT NULL
);
-- Serves `show`/`log ID` and the "as of D" questions: the last transition
-- of an item that took effect on or before D.
CREATE INDEX event_by_item ON event (kind, item_id, effective_on, seq);
-- The few corrections (schema version 5), which reports footnote, and the
-- few reopens, without which a problem stands as its columns say.
CREATE INDEX event_edits ON event (item_id) WHERE action = 'edit';
CREATE INDEX event_reopens ON event (item_id) WHERE action = 'reopen';
-- The few ongoing marks (长期坚持), schema version 6. A measure never
-- reopened nor marked ongoing went from open to done at most once: as of
-- any D its state follows from closed_on, and the reports look up the
-- history of the others only.
CREATE INDEX event_ongoing ON event (item_id) WHERE action = 'ongoing';

CREATE TRIGGER event_no_update BEFORE UPDATE ON event
BEGIN
    SELECT RAISE(ABORT, 'the event history is append-only');
END;
CREATE TRIGGER event_no_delete BEFORE DELETE ON event
BEGIN
    SELECT RAISE(ABORT, 'the event history is append-only');
END;
