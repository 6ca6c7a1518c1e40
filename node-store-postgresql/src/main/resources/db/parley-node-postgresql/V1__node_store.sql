-- Parley node store on PostgreSQL (parley-node-store-postgresql), schema version 1.
-- Several nodes share these tables; see PostgresNodeStore for how they are written.

-- The epoch names this database's history: made once, with the schema, never changed.
CREATE TABLE meta (
    key   text PRIMARY KEY,
    value text NOT NULL
);
INSERT INTO meta (key, value) VALUES ('epoch', gen_random_uuid()::text);

-- Per topic, the last sequence and timestamp assigned. Every transaction that appends to a topic
-- increments its row first and holds the row's lock until it commits: publishers of one topic are
-- serialized there, so commit order is sequence order and sequences are dense. Trims never lower it.
CREATE TABLE topics (
    name     text PRIMARY KEY,
    last_seq bigint NOT NULL,
    last_ts  bigint NOT NULL
);

-- The logs. An idempotency key is unique per topic: a retry, on any node, finds the original.
CREATE TABLE messages (
    topic    text   NOT NULL,
    seq      bigint NOT NULL,
    ts       bigint NOT NULL,
    sender   text   NOT NULL,
    idem_key text   NOT NULL,
    payload  bytea  NOT NULL,
    PRIMARY KEY (topic, seq)
);
CREATE UNIQUE INDEX messages_by_key ON messages (topic, idem_key);
CREATE INDEX messages_by_ts ON messages (ts);

-- Payload bytes of the retained entries per sender (the per-inbox storage quota), kept by every
-- transaction that appends or trims.
CREATE TABLE sender_bytes (
    sender text PRIMARY KEY,
    bytes  bigint NOT NULL
);

-- The conversation directory. A group update locks its conversation's row (FOR UPDATE) for the
-- whole transaction; changed_seq is the sequence of the last group update applied (0: none).
CREATE TABLE conversations (
    id          text PRIMARY KEY,
    type        text   NOT NULL,
    creator     text   NOT NULL,
    created_ns  bigint NOT NULL,
    name        text,
    changed_seq bigint NOT NULL
);

-- Each membership of an inbox: the span [from_seq, to_seq] of the conversation's log it reads
-- (from_seq 0: a member from creation; to_seq NULL while it lasts).
CREATE TABLE member_spans (
    conversation_id text   NOT NULL,
    inbox_id        text   NOT NULL,
    from_seq        bigint NOT NULL,
    to_seq          bigint,
    PRIMARY KEY (conversation_id, inbox_id, from_seq)
);

CREATE TABLE admins (
    conversation_id text NOT NULL,
    inbox_id        text NOT NULL,
    PRIMARY KEY (conversation_id, inbox_id)
);
